import { COMMUNES, communeById, CommuneMatch, isBrusselsCommuneId, matchCommune, matchPostcode, OUTSIDE_PLACES } from '../../domain/communes';

/** Compact view of a match for table tests: "match:<id>", "ambiguous:<id,id>", "outside:<id|->:<postcode|->", "unknown". */
function summary(r: CommuneMatch): string {
  switch (r.status) {
    case 'match':
      return `match:${r.commune.id}`;
    case 'ambiguous':
      return `ambiguous:${r.candidates.map((c) => c.id).sort().join(',')}`;
    case 'outside':
      return `outside:${r.place?.id ?? '-'}:${r.postcode ?? '-'}`;
    case 'unknown':
      return 'unknown';
  }
}

describe('COMMUNES', () => {
  it('lists the 19 communes of the region with unique ids and postcodes', () => {
    expect(COMMUNES).toHaveLength(19);
    expect(new Set(COMMUNES.map((c) => c.id)).size).toBe(19);
    const postcodes = COMMUNES.flatMap((c) => c.postcodes);
    expect(new Set(postcodes).size).toBe(postcodes.length);
    for (const p of postcodes) expect(Number(p)).toBeGreaterThanOrEqual(1000);
    for (const p of postcodes) expect(Number(p)).toBeLessThanOrEqual(1299);
  });

  it('gives Bruxelles/Brussel its four postcodes', () => {
    expect(communeById('bruxelles')).toEqual({ id: 'bruxelles', nameFr: 'Bruxelles', nameNl: 'Brussel', postcodes: ['1000', '1020', '1120', '1130'] });
  });

  it('keeps outside places outside the region postcode range', () => {
    for (const p of OUTSIDE_PLACES.flatMap((o) => o.postcodes)) expect(Number(p) < 1000 || Number(p) > 1299).toBe(true);
  });

  it.each([
    ['anderlecht', true],
    ['woluwe-saint-pierre', true],
    ['vilvoorde', false],
    ['', false],
    [null, false],
  ])('isBrusselsCommuneId(%j) → %s', (id, expected) => {
    expect(isBrusselsCommuneId(id)).toBe(expected);
  });
});

describe('matchPostcode', () => {
  it.each([
    ['1000', 'match:bruxelles'],
    ['1020', 'match:bruxelles'],
    ['1030', 'match:schaerbeek'],
    ['1040', 'match:etterbeek'],
    ['1050', 'match:ixelles'],
    ['1060', 'match:saint-gilles'],
    ['1070', 'match:anderlecht'],
    ['1080', 'match:molenbeek-saint-jean'],
    ['1081', 'match:koekelberg'],
    ['1082', 'match:berchem-sainte-agathe'],
    ['1083', 'match:ganshoren'],
    ['1090', 'match:jette'],
    ['1120', 'match:bruxelles'],
    ['1130', 'match:bruxelles'],
    ['1140', 'match:evere'],
    ['1150', 'match:woluwe-saint-pierre'],
    ['1160', 'match:auderghem'],
    ['1170', 'match:watermael-boitsfort'],
    ['1180', 'match:uccle'],
    ['1190', 'match:forest'],
    ['1200', 'match:woluwe-saint-lambert'],
    ['1210', 'match:saint-josse-ten-noode'],
    ['1049', 'unknown'], // institutional code inside the region: ask for the commune
    ['1100', 'unknown'],
    ['1800', 'outside:vilvoorde:1800'],
    ['1930', 'outside:zaventem:1930'],
    ['1500', 'outside:halle:1500'],
    ['1700', 'outside:dilbeek:1700'],
    ['1850', 'outside:grimbergen:1850'],
    ['1780', 'outside:wemmel:1780'],
    ['1950', 'outside:kraainem:1950'],
    ['1970', 'outside:wezembeek-oppem:1970'],
    ['1620', 'outside:drogenbos:1620'],
    ['1630', 'outside:linkebeek:1630'],
    ['1640', 'outside:sint-genesius-rode:1640'],
    ['1410', 'outside:waterloo:1410'],
    ['1830', 'outside:machelen:1830'],
    ['3080', 'outside:tervuren:3080'],
    ['3090', 'outside:overijse:3090'],
    ['1300', 'outside:wavre:1300'],
    ['8400', 'outside:-:8400'], // any Belgian postcode outside 1000-1299
    ['0999', 'unknown'],
    ['999', 'unknown'],
    ['75001', 'unknown'],
  ])('%s → %s', (postcode, expected) => {
    expect(summary(matchPostcode(postcode))).toBe(expected);
  });
});

describe('matchCommune', () => {
  it.each([
    // FR and NL names, any case, accents, hyphens or spaces
    ['Anderlecht', 'match:anderlecht'],
    ['ANDERLECHT', 'match:anderlecht'],
    ['  anderlecht ', 'match:anderlecht'],
    ['Auderghem', 'match:auderghem'],
    ['Oudergem', 'match:auderghem'],
    ['Berchem-Sainte-Agathe', 'match:berchem-sainte-agathe'],
    ['Sint-Agatha-Berchem', 'match:berchem-sainte-agathe'],
    ['Berchem-Ste-Agathe', 'match:berchem-sainte-agathe'],
    ['Berchem', 'match:berchem-sainte-agathe'],
    ['Bruxelles', 'match:bruxelles'],
    ['Brussel', 'match:bruxelles'],
    ['Brussels', 'match:bruxelles'],
    ['Bruxelles-Ville', 'match:bruxelles'],
    ['Laeken', 'match:bruxelles'],
    ['Laken', 'match:bruxelles'],
    ['Neder-Over-Heembeek', 'match:bruxelles'],
    ['Haren', 'match:bruxelles'],
    ['Etterbeek', 'match:etterbeek'],
    ['Evere', 'match:evere'],
    ['Forest', 'match:forest'],
    ['Vorst', 'match:forest'],
    ['Ganshoren', 'match:ganshoren'],
    ['Ixelles', 'match:ixelles'],
    ['Elsene', 'match:ixelles'],
    ['Jette', 'match:jette'],
    ['Koekelberg', 'match:koekelberg'],
    ['Molenbeek-Saint-Jean', 'match:molenbeek-saint-jean'],
    ['Sint-Jans-Molenbeek', 'match:molenbeek-saint-jean'],
    ['Molenbeek', 'match:molenbeek-saint-jean'],
    ['Molenbeek St Jean', 'match:molenbeek-saint-jean'],
    ['Saint-Gilles', 'match:saint-gilles'],
    ['St-Gilles', 'match:saint-gilles'],
    ['st gilles', 'match:saint-gilles'],
    ['Sint-Gillis', 'match:saint-gilles'],
    ['Saint-Josse-ten-Noode', 'match:saint-josse-ten-noode'],
    ['Sint-Joost-ten-Node', 'match:saint-josse-ten-noode'],
    ['St-Josse', 'match:saint-josse-ten-noode'],
    ['Schaerbeek', 'match:schaerbeek'],
    ['Schaarbeek', 'match:schaerbeek'],
    ['Uccle', 'match:uccle'],
    ['Ukkel', 'match:uccle'],
    ['Watermael-Boitsfort', 'match:watermael-boitsfort'],
    ['Watermaal-Bosvoorde', 'match:watermael-boitsfort'],
    ['Boitsfort', 'match:watermael-boitsfort'],
    ['Woluwe-Saint-Lambert', 'match:woluwe-saint-lambert'],
    ['Woluwe-St-Lambert', 'match:woluwe-saint-lambert'],
    ['Sint-Lambrechts-Woluwe', 'match:woluwe-saint-lambert'],
    ['WSL', 'match:woluwe-saint-lambert'],
    ['Woluwe-Saint-Pierre', 'match:woluwe-saint-pierre'],
    ['Sint-Pieters-Woluwe', 'match:woluwe-saint-pierre'],
    ['Stockel', 'match:woluwe-saint-pierre'],
    // typos, extra words, postcodes
    ['Schaerbeck', 'match:schaerbeek'],
    ['Anderlect', 'match:anderlecht'],
    ["commune d'Anderlecht", 'match:anderlecht'],
    ['Gemeente Schaarbeek', 'match:schaerbeek'],
    ['1070', 'match:anderlecht'],
    ['B-1070', 'match:anderlecht'],
    ['1070 Anderlecht', 'match:anderlecht'],
    ['Anderlecht (1070)', 'match:anderlecht'],
    ['1050 Bruxelles', 'match:bruxelles'], // avenue Louise: the name wins over the postcode
    ['1050', 'match:ixelles'],
    // ambiguous
    ['Woluwe', 'ambiguous:woluwe-saint-lambert,woluwe-saint-pierre'],
    ['Sint', 'ambiguous:berchem-sainte-agathe,molenbeek-saint-jean,saint-gilles,saint-josse-ten-noode,woluwe-saint-lambert,woluwe-saint-pierre'],
    ['Saint', 'ambiguous:berchem-sainte-agathe,molenbeek-saint-jean,saint-gilles,saint-josse-ten-noode,woluwe-saint-lambert,woluwe-saint-pierre'],
    // outside the region
    ['Vilvoorde', 'outside:vilvoorde:-'],
    ['Vilvorde', 'outside:vilvoorde:-'],
    ['1800 Vilvoorde', 'outside:vilvoorde:-'],
    ['1800', 'outside:vilvoorde:1800'],
    ['Zaventem', 'outside:zaventem:-'],
    ['Sint-Stevens-Woluwe', 'outside:zaventem:-'], // a Woluwe outside the region
    ['Halle', 'outside:halle:-'],
    ['Hal', 'outside:halle:-'],
    ['Dilbeek', 'outside:dilbeek:-'],
    ['Grimbergen', 'outside:grimbergen:-'],
    ['Wemmel', 'outside:wemmel:-'],
    ['Kraainem', 'outside:kraainem:-'],
    ['Wezembeek-Oppem', 'outside:wezembeek-oppem:-'],
    ['Drogenbos', 'outside:drogenbos:-'],
    ['Linkebeek', 'outside:linkebeek:-'],
    ['Sint-Genesius-Rode', 'outside:sint-genesius-rode:-'],
    ['Rhode-Saint-Genèse', 'outside:sint-genesius-rode:-'],
    ['Rhode-St-Genese', 'outside:sint-genesius-rode:-'],
    ['Waterloo', 'outside:waterloo:-'],
    ['Machelen', 'outside:machelen:-'],
    ['Tervuren', 'outside:tervuren:-'],
    ['Overijse', 'outside:overijse:-'],
    ['Sint-Pieters-Leeuw', 'outside:sint-pieters-leeuw:-'],
    ['Liège', 'outside:liege:-'],
    ['8400', 'outside:-:8400'],
    // unknown
    ['Paris', 'unknown'],
    ['Région bruxelloise', 'unknown'], // the region, not a commune
    ['Brussels-Capital Region', 'unknown'],
    ['', 'unknown'],
    ['   ', 'unknown'],
    ['1049', 'unknown'],
    ['12345', 'unknown'],
  ])('%j → %s', (input, expected) => {
    expect(summary(matchCommune(input))).toBe(expected);
  });
});
