"""Demo glossary: acronyms of French social action, and the words a new maire meets at the CCAS's
board (aides facultatives, membre nommé…), with our own definitions.

The glossary stores each entry under its « sigle » (20 characters at most): a term that is not
an acronym keeps a short head word there (« Délégation ») and its full form in « expansion ».
It is capitalised, as the glossary shows it: the first use in a guide is marked only when the
guide writes it so, at the start of a sentence, which keeps ordinary words unmarked."""

GLOSSARY = [
    (
        "AAH",
        "allocation aux adultes handicapés",
        "Minimum de ressources versé par la CAF aux personnes handicapées, sur décision de la MDPH.",
    ),
    (
        "ABS",
        "analyse des besoins sociaux",
        "Diagnostic de la population et de ses besoins que chaque CCAS doit conduire : une "
        "analyse socio-démographique dans l'année qui suit le renouvellement du conseil "
        "municipal, puis des analyses thématiques pendant le mandat, présentées à son conseil "
        "d'administration (CASF R123-1).",
    ),
    (
        "Aide légale",
        "aide sociale légale",
        "Aide que la loi accorde à toute personne qui remplit ses conditions (aide sociale aux "
        "personnes âgées ou handicapées, ASPA…) : ni le CCAS ni la commune n'en fixent les "
        "règles. Le CCAS reçoit et instruit les demandes, puis les transmet à l'autorité qui "
        "décide, le plus souvent le Département (CASF L123-5).",
    ),
    (
        "Aides facultatives",
        "aides extralégales, décidées par le CCAS",
        "Aides que le CCAS choisit d'accorder au-delà de ce que la loi impose : secours "
        "d'urgence, aides à l'énergie ou au loyer, au permis de conduire, aux obsèques… Le "
        "conseil d'administration en fixe les conditions, en général dans un règlement des aides "
        "facultatives, et deux demandeurs dans la même situation sont traités de la même façon.",
    ),
    (
        "APA",
        "allocation personnalisée d'autonomie",
        "Aide du Département aux personnes de 60 ans ou plus en perte d'autonomie, à domicile ou "
        "en établissement.",
    ),
    (
        "ASPA",
        "allocation de solidarité aux personnes âgées",
        "Minimum vieillesse, versé par les caisses de retraite ; le CCAS aide souvent à monter le "
        "dossier.",
    ),
    (
        "CA",
        "conseil d'administration",
        "Instance qui délibère sur les affaires du CCAS : présidée par le maire, composée à parts "
        "égales d'élus municipaux et de membres nommés.",
    ),
    (
        "CAF",
        "caisse d'allocations familiales",
        "Organisme de la branche famille de la sécurité sociale : prestations familiales, aides au "
        "logement, RSA, prime d'activité.",
    ),
    (
        "CASF",
        "code de l'action sociale et des familles",
        "Le code qui fixe les règles des CCAS (articles L123-4 à L123-9 et R123-1 et suivants : "
        "missions, conseil d'administration, ABS), de l'aide sociale légale et de la "
        "domiciliation.",
    ),
    (
        "CCAS",
        "centre communal d'action sociale",
        "Établissement public de la commune, obligatoire à partir de 1 500 habitants, chargé de "
        "l'action sociale et de l'instruction des aides légales.",
    ),
    (
        "CESF",
        "conseiller ou conseillère en économie sociale et familiale",
        "Travailleur social spécialisé dans le budget, le logement et la vie quotidienne des "
        "ménages.",
    ),
    (
        "CGCT",
        "code général des collectivités territoriales",
        "Le code qui organise les communes, leurs budgets et leurs intercommunalités.",
    ),
    (
        "CIAS",
        "centre intercommunal d'action sociale",
        "L'équivalent du CCAS à l'échelle d'une intercommunalité.",
    ),
    (
        "CNIL",
        "Commission nationale de l'informatique et des libertés",
        "Autorité de contrôle de la protection des données personnelles en France.",
    ),
    (
        "CPAM",
        "caisse primaire d'assurance maladie",
        "Organisme local de l'assurance maladie : remboursements, complémentaire santé solidaire.",
    ),
    (
        "Délégation",
        "délégation de signature ou de pouvoirs",
        "Acte écrit par lequel le président du CCAS (le maire) confie sa signature, pour des "
        "décisions qu'il énumère, au ou à la vice-président(e) ou au directeur ou à la "
        "directrice ; le conseil d'administration peut aussi déléguer certains de ses pouvoirs "
        "(par exemple l'attribution de certaines aides) à son président ou à son "
        "vice-président. Sans délégation en règle, publiée, la décision signée est irrégulière.",
    ),
    (
        "DALO",
        "droit au logement opposable",
        "Recours permettant à un ménage mal logé d'être reconnu prioritaire pour un logement "
        "social.",
    ),
    (
        "Domiciliation",
        "élection de domicile",
        "Adresse administrative donnée à une personne sans domicile stable, pour recevoir son "
        "courrier et faire valoir ses droits. Le CCAS doit l'assurer pour les personnes qui ont "
        "un lien avec la commune, ne peut la refuser que faute de ce lien, par une décision "
        "motivée, et rend compte chaque année au préfet (CASF L264-1 et suivants, D264-8).",
    ),
    (
        "EPCI",
        "établissement public de coopération intercommunale",
        "Communauté de communes, d'agglomération, communauté urbaine ou métropole.",
    ),
    (
        "EPT",
        "établissement public territorial",
        "Intercommunalité propre à la Métropole du Grand Paris (par exemple Est Ensemble, "
        "Plaine Commune).",
    ),
    (
        "FSL",
        "fonds de solidarité pour le logement",
        "Fonds du Département qui aide à accéder à un logement ou à s'y maintenir (dettes de "
        "loyer, d'énergie, d'eau).",
    ),
    (
        "INSEE",
        "Institut national de la statistique et des études économiques",
        "Producteur du recensement et des données de revenus utilisées dans l'ABS.",
    ),
    (
        "LAEP",
        "lieu d'accueil enfants-parents",
        "Espace libre et gratuit où de jeunes enfants viennent jouer avec un parent, en présence "
        "d'accueillants formés.",
    ),
    (
        "Membre élu",
        "membre élu(e) du conseil d'administration du CCAS",
        "Conseiller ou conseillère municipal(e) élu(e) au conseil d'administration du CCAS par "
        "le conseil municipal, parmi ses membres, au scrutin de liste à la représentation "
        "proportionnelle. Ils sont de 4 à 8, autant que de membres nommés, et leur mandat suit "
        "celui du conseil municipal (CASF L123-6, R123-8).",
    ),
    (
        "Membre nommé",
        "membre nommé(e) du conseil d'administration du CCAS",
        "Personne nommée par arrêté du maire parmi celles qui mènent des actions de prévention, "
        "d'animation ou de développement social dans la commune ; autant que de membres élus. "
        "Parmi eux, au moins un représentant des associations familiales (sur proposition de "
        "l'UDAF), des associations d'insertion et de lutte contre les exclusions, des "
        "associations de retraités et de personnes âgées, et des associations de personnes "
        "handicapées (CASF L123-6).",
    ),
    (
        "MDPH",
        "maison départementale des personnes handicapées",
        "Guichet unique des droits liés au handicap : AAH, PCH, orientation.",
    ),
    (
        "PCH",
        "prestation de compensation du handicap",
        "Aide du Département qui finance des aides humaines, techniques ou l'aménagement du "
        "logement.",
    ),
    (
        "PMI",
        "protection maternelle et infantile",
        "Service du Département qui suit les futurs parents et les enfants de moins de six ans.",
    ),
    (
        "QPV",
        "quartier prioritaire de la politique de la ville",
        "Quartier où le revenu des habitants est bas, désigné par l'État pour des moyens "
        "renforcés.",
    ),
    (
        "RGPD",
        "règlement général sur la protection des données",
        "Règlement européen de 2016 qui encadre tout traitement de données personnelles.",
    ),
    (
        "RP",
        "recensement de la population",
        "Enquête annuelle de l'INSEE ; ses résultats communaux servent de base à l'ABS.",
    ),
    (
        "RSA",
        "revenu de solidarité active",
        "Revenu minimum versé par la CAF ou la MSA, financé par le Département, avec un "
        "accompagnement.",
    ),
    (
        "Secours d'urgence",
        "aide facultative accordée sans délai",
        "Aide d'un faible montant, en argent, en bon ou en nature (alimentation, hygiène, "
        "énergie…), accordée le jour même à une personne qui ne peut pas attendre la réunion du "
        "conseil d'administration, dans les limites que celui-ci a fixées et par la personne "
        "qu'il a désignée ; le conseil en est informé ensuite.",
    ),
    (
        "SIAO",
        "service intégré de l'accueil et de l'orientation",
        "Plateforme départementale qui attribue les places d'hébergement et de logement "
        "accompagné ; le 115 en dépend.",
    ),
    (
        "UDAF",
        "union départementale des associations familiales",
        "Elle propose au maire le représentant des associations familiales au conseil "
        "d'administration du CCAS.",
    ),
    (
        "UDCCAS",
        "union départementale des centres communaux d'action sociale",
        "Association des CCAS et CIAS d'un département : formation, ressources, représentation.",
    ),
    (
        "UNCCAS",
        "Union nationale des centres communaux et intercommunaux d'action sociale",
        "Tête de réseau nationale des CCAS et CIAS.",
    ),
    (
        "Vice-président(e)",
        "vice-président(e) du conseil d'administration du CCAS",
        "Membre du conseil d'administration élu(e) par celui-ci dès sa constitution ; il ou elle "
        "préside le conseil en l'absence du maire, président de droit, et reçoit souvent une "
        "délégation pour signer les décisions courantes, comme les aides facultatives "
        "(CASF L123-6).",
    ),
]
