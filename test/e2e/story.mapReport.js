// The story's steps for the network map and the activity report (see story.steps.js for the rest).
'use strict';

/** A card's inline picture (a PNG data URI, never a link) is shown, decoded by the browser. */
async function pictureShown(card, what) {
  const img = card.locator('img[src^="data:image/png;base64,"]').first();
  await img.waitFor({ timeout: 20000 }).catch(() => undefined);
  if (!(await img.count())) throw new Error(`${what} shows no inline picture`);
  const width = await img.evaluate(async (el) => {
    if (!el.complete) await new Promise((resolve) => el.addEventListener('load', resolve, { once: true }));
    return el.naturalWidth;
  });
  if (!(width > 100)) throw new Error(`${what}: the picture did not decode (width ${width})`);
}

/** The organiser, in the PSI's edit view, places an actor on the network map; then publishes. */
async function placeActorAndPublish(ui, step) {
  await step('organiser places an actor on the network map, then publishes', async () => {
    let card = ui.card(/PSI — plan de services et de soins/);
    await ui.fill(card, /^Nom/, 'Kim Fictif (fille)');
    await ui.fill(card, /^Services et\/ou rôles/, 'aidante proche');
    await ui.choose(card, "Type d'acteur", 'famille');
    await ui.choose(card, 'Proximité avec la personne', 'très proche');
    await ui.choose(card, 'Qualité de la relation', 'relation forte');
    await ui.click(card, "Enregistrer l'acteur");
    card = await ui.waitCard(/PSI — plan de services et de soins/, /Kim Fictif \(fille\)[\s\S]*famille · très proche · relation forte/, 'the actor with her place on the map');
    await ui.click(card, 'Publier');
  });
}

/** The map in the PSI card (a picture of the version) and alone with "carte". */
async function mapSteps(ui, step, trackingId) {
  await step('the PSI card carries the network map of the version', async () => {
    const card = ui.card(/PSI — plan de services et de soins/);
    await pictureShown(card, 'the PSI card');
    await ui.show(card.locator('img[src^="data:image/png"]').first());
  });

  await step('"carte" shows the network map alone, in the personal chat', async () => {
    await ui.openChat('Personal Chat');
    await ui.say(`carte ${trackingId}`, /Carte réseau — dossier/);
    const card = ui.card(/Carte réseau — dossier/);
    await pictureShown(card, 'the map card');
    await ui.show(card);
  });
}

/** The coordination's activity report of the year, in French. */
async function reportStep(ui, step, cast) {
  await step('coordinator asks for the activity report of the year', async () => {
    const year = new Date().getFullYear();
    await ui.say(`rapport ${year}-01-01 ${year}-12-31`, /Rapport d'activité/);
    const card = await ui.waitCard(/Rapport d'activité/, /Demandes d'inclusion[\s\S]*Inclusions acceptées/, 'the report with its figures');
    await pictureShown(card, 'the report card');
    if (!(await card.getByText(/Tableau complet \(XLSX\)/).count())) throw new Error('the report card has no XLSX download');
    const text = await card.innerText();
    if (text.includes(cast.me.name)) throw new Error(`the report names a person: ${text.slice(0, 400)}`);
    await ui.show(card);
  });
}

/** The same report, asked in Dutch. */
async function dutchReportStep(ui, step) {
  await step('the activity report, in Dutch', async () => {
    await ui.say('annuleren', /[\s\S]/);
    const year = new Date().getFullYear();
    await ui.say(`verslag ${year}-01-01 ${year}-12-31`, /Activiteitenverslag/);
    await pictureShown(ui.card(/Activiteitenverslag/), 'the Dutch report card');
  });
}

module.exports = { placeActorAndPublish, mapSteps, reportStep, dutchReportStep };
