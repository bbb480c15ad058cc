import { findIdentifiers, IdentifierKind, isAnonymous, isValidIban, isValidIdCardNumber, isValidNiss } from '../../domain/anonymity';

// All data is fictional: names are common placeholders, numbers are documentation examples or
// computed to pass the checksums.

describe('isValidNiss', () => {
  it.each([
    ['85.07.30-033.28', true], // born before 2000
    ['85073003328', true],
    ['05.03.12-123.60', true], // born from 2000: "2" prefixed before mod 97
    ['05.03.12-123.31', true], // same digits read as born in 1905: valid too
    ['85.07.30-033.29', false],
    ['8507300332', false], // 10 digits
  ])('%s → %s', (niss, valid) => {
    expect(isValidNiss(niss)).toBe(valid);
  });
});

describe('isValidIdCardNumber (Belgian eID: first ten digits mod 97, 97 when 0)', () => {
  it.each([
    ['591-1234567-53', true],
    ['591123456753', true],
    ['000-0000097-97', true], // remainder 0 → check 97
    ['591-1234567-89', false],
    ['59112345675', false], // 11 digits
  ])('%s → %s', (n, valid) => {
    expect(isValidIdCardNumber(n)).toBe(valid);
  });
});

describe('isValidIban', () => {
  it.each([
    ['BE68 5390 0754 7034', true],
    ['BE68539007547034', true],
    ['be68 5390 0754 7034', true],
    ['BE68 5390 0754 7035', false],
    ['BE68 5390 0754 703', false], // wrong length for BE
    ['NL91 ABNA 0417 1643 00', true],
    ['DE89 3704 0044 0532 0130 00', true],
    ['FR14 2004 1010 0505 0001 3M02 606', true],
    ['GB29 NWBK 6016 1331 9268 19', true],
  ])('%s → %s', (iban, valid) => {
    expect(isValidIban(iban)).toBe(valid);
  });
});

describe('findIdentifiers: must refuse', () => {
  it.each<[IdentifierKind, string, string]>([
    // NISS / INSZ
    ['niss', 'NISS 85.07.30-033.28 connu du CPAS', '85.07.30-033.28'],
    ['niss', 'rijksregisternummer 85073003328', '85073003328'],
    ['niss', 'INSZ: 05.03.12-123.60', '05.03.12-123.60'],
    ['niss', 'NN 85 07 30 033 28', '85 07 30 033 28'],
    ['niss', 'numéro national 85.07.30-033.29 (je crois)', '85.07.30-033.29'], // typo in checksum
    ['niss', 'BIS 85.27.30-033.11', '85.27.30-033.11'], // BIS month, checksum not checked
    // phones: Belgian and international
    ['phone', 'GSM de la fille: 0470 12 34 56', '0470 12 34 56'],
    ['phone', 'tel 0470/12.34.56 le matin', '0470/12.34.56'],
    ['phone', 'bellen op 0470123456', '0470123456'],
    ['phone', 'fixe 02 512 34 56', '02 512 34 56'],
    ['phone', 'fixe 02/512.34.56', '02/512.34.56'],
    ['phone', 'call +32 470 12 34 56', '+32 470 12 34 56'],
    ['phone', 'call +32 (0)2 512 34 56', '+32 (0)2 512 34 56'],
    ['phone', 'tél. 0032 470 12 34 56', '0032 470 12 34 56'],
    ['phone', '+32470123456', '+32470123456'],
    ['phone', 'son fils en France: +33 6 12 34 56 78', '+33 6 12 34 56 78'],
    ['phone', 'zoon in Nederland +31 6 12345678', '+31 6 12345678'],
    ['phone', 'appeler le 0470 12 34 56 2 fois par jour', '0470 12 34 56'],
    ['phone', 'numéro 04701234567', '04701234567'], // 11 digits, bad NISS, phone shape
    // e-mail
    ['email', 'mail: jean.exemple@example.be', 'jean.exemple@example.be'],
    ['email', 'Contact via fille.exemple+cmd@exemple-mail.com svp', 'fille.exemple+cmd@exemple-mail.com'],
    ['email', 'adres: piet.voorbeeld [at] voorbeeld.be', 'piet.voorbeeld [at] voorbeeld.be'],
    // IBAN
    ['iban', 'loyer payé depuis BE68 5390 0754 7034 chaque mois', 'BE68 5390 0754 7034'],
    ['iban', 'rekening BE68539007547034', 'BE68539007547034'],
    ['iban', 'compte be68 5390 0754 7034', 'be68 5390 0754 7034'],
    ['iban', 'account NL91 ABNA 0417 1643 00 and more', 'NL91 ABNA 0417 1643 00'],
    ['iban', 'Konto DE89 3704 0044 0532 0130 00', 'DE89 3704 0044 0532 0130 00'],
    ['iban', 'compte FR14 2004 1010 0505 0001 3M02 606 en France', 'FR14 2004 1010 0505 0001 3M02 606'],
    // exact dates (of birth or any exact date with a year)
    ['birthDate', 'née le 3/4/1950', '3/4/1950'],
    ['birthDate', 'né le 03.04.50 à Liège', '03.04.50'],
    ['birthDate', 'date de naissance 12-03-1956', '12-03-1956'],
    ['birthDate', 'DOB 1956-03-12', '1956-03-12'],
    ['birthDate', 'né le 12 mars 1956', '12 mars 1956'],
    ['birthDate', 'née le 1er août 1948', '1er août 1948'],
    ['birthDate', 'geboren op 12 maart 1956', '12 maart 1956'],
    ['birthDate', 'geboren op 3 okt. 1949', '3 okt. 1949'],
    ['birthDate', 'born March 12, 1956', 'March 12, 1956'],
    ['birthDate', 'born on the 12th of March 1956', '12th of March 1956'],
    ['birthDate', 'hospitalisée le 05/02/2026', '05/02/2026'], // any full date, see module header
    ['birthDate', 'né le 12 mars 56 à Liège', '12 mars 56'],
    ['birthDate', "née le 3 mai '48", "3 mai '48"],
    ['birthDate', '°31/12/99', '31/12/99'],
    // street addresses FR / NL / EN
    ['streetAddress', 'vit rue de la Loi 16 au 2e', 'rue de la Loi 16'],
    ['streetAddress', 'habite au 16 rue de la Loi', '16 rue de la Loi'],
    ['streetAddress', 'habite au 16, rue de la Loi', '16, rue de la Loi'],
    ['streetAddress', 'Avenue Louise 231, Ixelles', 'Avenue Louise 231'],
    ['streetAddress', 'avenue Louise, 231', 'avenue Louise, 231'],
    ['streetAddress', 'chaussée de Wavre 100 bte 3', 'chaussée de Wavre 100'],
    ['streetAddress', 'boulevard du Midi 5', 'boulevard du Midi 5'],
    ['streetAddress', 'place Flagey 7', 'place Flagey 7'],
    ['streetAddress', 'square Ambiorix 12A', 'square Ambiorix 12A'],
    ['streetAddress', "rue de l'Église n° 4", "rue de l'Église n° 4"],
    ['streetAddress', 'rue haute 120', 'rue haute 120'],
    ['streetAddress', 'woont in de Wetstraat 16', 'Wetstraat 16'],
    ['streetAddress', 'Louizalaan 231 bus 4', 'Louizalaan 231'],
    ['streetAddress', 'Waversesteenweg 100', 'Waversesteenweg 100'],
    ['streetAddress', 'Sint-Jansplein 3', 'Sint-Jansplein 3'],
    ['streetAddress', 'Ninoofsesteenweg nr. 12', 'Ninoofsesteenweg nr. 12'],
    ['streetAddress', 'lives at 10 Downing Street', '10 Downing Street'],
    ['streetAddress', 'Louise Avenue 231', 'Louise Avenue 231'],
    ['streetAddress', 'Grote Markt 1', 'Grote Markt 1'],
    ['streetAddress', 'Av. Brugmann 5', 'Av. Brugmann 5'],
    ['streetAddress', 'Chée de Gand 300', 'Chée de Gand 300'],
    ['streetAddress', "chaussée d'Ixelles 45", "chaussée d'Ixelles 45"],
    ['streetAddress', 'vit 3 place Liedts', '3 place Liedts'],
    // personal names
    ['personalName', 'Madame Dupont vit seule', 'Dupont'],
    ['personalName', 'Monsieur Jean Exemple refuse', 'Jean Exemple'],
    ['personalName', 'suivi de M. Dupont', 'Dupont'],
    ['personalName', 'M.Dupont est suivi', 'Dupont'],
    ['personalName', 'Mme Martin, 72 ans', 'Martin'],
    ['personalName', 'Mlle Exemple', 'Exemple'],
    ['personalName', 'MADAME DUPONT', 'DUPONT'],
    ['personalName', 'Monsieur de Smet', 'de Smet'],
    ['personalName', "Madame d'Hondt", "d'Hondt"],
    ['personalName', 'M. J. Dupont', 'J. Dupont'],
    ['personalName', 'Mevrouw Janssens woont alleen', 'Janssens'],
    ['personalName', 'meneer Peeters', 'Peeters'],
    ['personalName', 'mijnheer Van den Bossche', 'Van den Bossche'],
    ['personalName', 'dhr. Peeters', 'Peeters'],
    ['personalName', 'mevr. Claes', 'Claes'],
    ['personalName', 'Mr Smith lives alone', 'Smith'],
    ['personalName', 'Mrs Jones', 'Jones'],
    ['personalName', 'Ms Brown', 'Brown'],
    ['personalName', 'son MG, le Dr Dupont', 'Dupont'], // decision: a GP's name narrows the person
    ['personalName', 'huisarts dr. Peeters', 'Peeters'],
    ['personalName', 'le docteur Martin', 'Martin'],
    ['personalName', 'le patient Marc Exemple', 'Marc Exemple'],
    ['personalName', 'la patiente Fatima', 'Fatima'],
    ['personalName', 'de patiënt Jan', 'Jan'],
    ['personalName', 'cliënte Mieke', 'Mieke'],
    ['personalName', "elle s'appelle Marie", 'Marie'],
    ['personalName', 'il s’appelle DUPONT', 'DUPONT'],
    ['personalName', 'hij heet Jan Peeters', 'Jan Peeters'],
    ['personalName', 'a man named John', 'John'],
    ['personalName', "Monsieur N'Diaye", "N'Diaye"],
    ['personalName', 'Madame Ben Ali', 'Ben Ali'],
    ['personalName', 'Monsieur Dupont-Leroy', 'Dupont-Leroy'],
    ['personalName', 'Miss Exemple', 'Exemple'],
    // labels, naming verbs, particles, capitals
    ['personalName', 'Nom : Dubois Marie', 'Dubois Marie'],
    ['personalName', 'Naam: Peeters Jan', 'Peeters Jan'],
    ['personalName', 'Patiente: Fatima Benali, 54 ans', 'Fatima Benali'],
    ['personalName', 'nom: mertens', 'mertens'],
    ['personalName', 'zijn naam is Janssens', 'Janssens'],
    ['personalName', 'haar naam is Mieke', 'Mieke'],
    ['personalName', 'son nom est Lefèvre', 'Lefèvre'],
    ['personalName', 'de heer Van den Bossche woont alleen', 'Van den Bossche'],
    ['personalName', 'MR VANDERSTRAETEN vit seul', 'VANDERSTRAETEN'],
    ['personalName', 'VANDERSTRAETEN vit seul', 'VANDERSTRAETEN'],
    ['personalName', 'le fils DUPONT', 'DUPONT'],
    // the gazetteer: bare names
    ['personalName', 'Jean Dupont, 67 ans, vit seul', 'Jean Dupont'],
    ['personalName', 'Dubois Marie, 82 ans', 'Dubois Marie'],
    ['personalName', 'Fatima vit seule', 'Fatima'],
    ['personalName', 'El Amrani vit seul', 'El Amrani'],
    ['personalName', 'suivi de Kevin Janssens', 'Kevin Janssens'],
    ['personalName', 'Ayşe Yılmaz spreekt Turks', 'Ayşe Yılmaz'],
    ['personalName', 'Thomas est sorti de prison', 'Thomas'], // an ordinary Dutch word, but a person's verb follows
    ['personalName', 'La situation de Bernadette', 'Bernadette'],
    // a professional's or relative's first name: refused like "Dr Dupont" (see domain/anonymity/names.ts)
    ['personalName', "L'infirmière Rose passe le matin", 'Rose'],
    ['personalName', 'Sa fille Nadia fait les courses', 'Nadia'],
    ['personalName', 'Gesprek met Anneleen, de dochter', 'Anneleen'],
    // eID card numbers and passports
    ['idCard', "carte d'identité 591-1234567-89", '591-1234567-89'], // the shape alone, even with a wrong check
    ['idCard', 'kaartnummer 591123456753', '591123456753'],
    ['idCard', 'eID 591123456753', '591123456753'],
    ['idCard', 'carte de séjour n° B 1234567 89', 'B 1234567 89'],
    ['passport', 'passeport EH123456', 'EH123456'],
    ['passport', 'paspoort nr EJ654321', 'EJ654321'],
    ['passport', 'passeport marocain n° TY4821573', 'TY4821573'],
    ['passport', 'Passport no. 123456789', '123456789'],
    // e-mail spelled out
    ['email', 'jean.dupont at example dot org', 'jean.dupont at example dot org'],
    ['email', 'jean.dupont(at)exemple.be', 'jean.dupont(at)exemple.be'],
    ['email', 'f.exemple [at] exemple [dot] be', 'f.exemple [at] exemple [dot] be'],
    ['email', 'marie.test arobase exemple point be', 'marie.test arobase exemple point be'],
    ['email', 'jan.voorbeeld apenstaartje voorbeeld punt be', 'jan.voorbeeld apenstaartje voorbeeld punt be'],
  ])('%s in %j', (kind, text, expected) => {
    const found = findIdentifiers(text);
    expect(found).toContainEqual({ kind, start: text.indexOf(expected), end: text.indexOf(expected) + expected.length });
    expect(isAnonymous(text)).toBe(false);
  });
});

describe('findIdentifiers: must pass', () => {
  it.each([
    'suivi par le CPAS d’Anderlecht',
    "suivi par le CPAS d'Anderlecht",
    'MG depuis 2019',
    '3 enfants',
    'vit au 2e étage',
    'Madame vit seule',
    'monsieur a 72 ans',
    'Monsieur a 72 ans et vit seul',
    'la patiente refuse les soins',
    'le patient BPCO sévère',
    'patiente Alzheimer avancée',
    'Mevrouw woont alleen',
    'meneer heeft 3 kinderen',
    'MADAME VIT SEULE',
    'Madame X vit seule',
    'le patient D. refuse',
    'The patient lives alone, Mr is 80',
    'suivie par le Dr de la maison médicale',
    'le Dr de garde',
    '2 fois par semaine',
    'depuis 3 ans',
    '1070 Anderlecht',
    'vit à 1070 Anderlecht depuis 10 ans',
    'né en 1950',
    'born in 1950',
    'geboren in 1950',
    'suivi psy au CSM',
    'ordonnance du 12/03',
    'rendez-vous le 12 mars à 14h30',
    'hospitalisée en mars 2024',
    'de 2019 à 2021',
    'sortie prévue fin 2025',
    'vit à la rue depuis 2019',
    'à la rue depuis 3 ans',
    'dans la rue 3 fois par semaine',
    'pas de place dans 2 maisons de repos',
    'leeft op straat sinds 2020',
    'hij is onderweg 3 dagen',
    'loopbaan van 20 jaar',
    'tension 14/9, HbA1c 8.2, INR 2.5',
    'insuline 10 UI 2x/jour',
    'MMSE 22/30',
    'loyer de 650 € par mois',
    'revenu de 1 263,17 € par mois',
    'Bus 71 puis tram 81',
    'dossier CMD-2026-0042',
    'sclérose en plaques (MS) Depuis longtemps',
    'originaire de RD Congo',
    'réseau: MG, AS du CPAS, infirmière à domicile 2 x par jour',
    'consultations les 12/03 et 19/03',
    'de 08.30 à 12.00',
    'né le 3 avril', // birthday without year is not an exact date
    'le 12 mars 14h30',
    'prises de sang les 06/03 - 08/03 - 10/03',
    'vit rue Haute, 1000 Bruxelles', // a street without number
    'hospitalisé en 2019 avenue Louise',
    'en 2019 Clinique St Jean',
    'Il habite avenue de la Couronne depuis 20 ans',
    'Bénéficiaire d’Intervention Majorée (BIM)',
    "bénéficiaire de l'Intégration Sociale",
    'impliqué comme Patient Partenaire',
    'ci-après dénommé CMD',
    'a so-called Housing First project',
    'Monsieur De plus il refuse',
    'Suivi par Madame\nSuivi par le CPAS', // the title and the next line
    'Madame présente une BPCO, un diabète de type 2 et vit seule au 3e étage sans ascenseur.',
    "Monsieur, 67 ans, sortie d'hospitalisation le 14 février, suivi par son MG et une infirmière à domicile.",
    'Mevrouw is 82 jaar en woont alleen in Schaarbeek.',
    "Monsieur est en séjour irrégulier, parle arabe, besoin d'un interprète.",
    "L'AS du CPAS de Saint-Gilles et la maison médicale.",
    'Patient lives in Anderlecht, has 2 children, GP since 2019.',
    // names of places, institutions, drugs, diseases, languages; ordinary words that are names
    'Suivi par le CPAS de Schaerbeek',
    "Hospitalisée à l'hôpital Saint-Pierre",
    'Suivi à la maison médicale Marconi',
    'Sortie de Brugmann, consultation à Erasme',
    'Opgenomen in het UZ Brussel',
    "Chimiothérapie à l'Institut Jules Bordet",
    'Woont in Sint-Jans-Molenbeek',
    'Vit à Jette, avant à Forest',
    'Hij spreekt alleen Frans en Arabisch',
    'Sous Dafalgan et Temesta',
    'MMSE 22/30, Alzheimer débutant',
    'Kiné 3 fois par semaine',
    'Rose, la couleur de sa chambre, la calme', // an ordinary word at the start of a sentence
    'Pierre et ciment partout',
    'Pendant le Ramadan',
    'Jadis chauffeur chez De Lijn',
    "auprès de Sibelga et d'Engie",
    'URGENT: plus de chauffage',
    'le numéro de dossier est 2026-0042', // not an eID shape
    'passeport en cours de renouvellement',
    'il est at home dot', // "at … dot" without a domain
    'un point sur la situation',
    '',
  ])('%j', (text) => {
    expect(findIdentifiers(text)).toEqual([]);
    expect(isAnonymous(text)).toBe(true);
  });
});

describe('findIdentifiers: decisions on ambiguous numbers', () => {
  it.each<[string, IdentifierKind[]]>([
    ['85073003328', ['niss']], // valid checksum
    ['85073003329', ['niss']], // wrong checksum, birth-date prefix: mistyped NISS
    ['85993003329', []], // wrong checksum, no date prefix, no phone shape
    ['04701234567', ['phone']], // wrong checksum, no date prefix, phone shape
    ['+32 470 12 34 56', ['phone']],
  ])('%s → %j', (text, kinds) => {
    expect(findIdentifiers(text).map((f) => f.kind)).toEqual(kinds);
  });
});

describe('findIdentifiers: several findings, offsets only', () => {
  it('finds each identifier once, sorted, without the text', () => {
    const text = 'Madame Dupont, née le 3/4/1950, rue de la Loi 16, GSM 0470 12 34 56, NISS 85.07.30-033.28';
    const found = findIdentifiers(text);
    expect(found.map((f) => f.kind)).toEqual(['personalName', 'birthDate', 'streetAddress', 'phone', 'niss']);
    for (const f of found) expect(Object.keys(f).sort()).toEqual(['end', 'kind', 'start']);
  });

  it('finds two phones written in one run of digits', () => {
    const text = 'tél 02 512 34 56 0470 12 34 56';
    expect(findIdentifiers(text)).toEqual([
      { kind: 'phone', start: 4, end: 16 },
      { kind: 'phone', start: 17, end: 30 },
    ]);
  });

  it('handles long pathological input (speed is measured in bench/)', () => {
    for (const text of ['a'.repeat(20000), 'a.'.repeat(10000), '1 '.repeat(10000)]) expect(findIdentifiers(text)).toEqual([]);
    // "Madame Madame …": a title is not a name; at most names are found, never anything else.
    for (const f of findIdentifiers('Madame '.repeat(3000))) expect(f.kind).toBe('personalName');
    for (const f of findIdentifiers('Jean '.repeat(3000))) expect(f.kind).toBe('personalName');
  });

  it('a date is not also reported as a phone', () => {
    expect(findIdentifiers('05/03/2019 10 h').map((f) => f.kind)).toEqual(['birthDate']);
  });
});
