"""Demo glossary: acronyms of French social action, with our own definitions."""

GLOSSARY = [
    (
        "AAH",
        "allocation aux adultes handicapés",
        "Minimum de ressources versé par la CAF aux personnes handicapées, sur décision de la MDPH.",
    ),
    (
        "ABS",
        "analyse des besoins sociaux",
        "Diagnostic de la population et de ses besoins que chaque CCAS doit conduire pendant le "
        "mandat municipal et présenter à son conseil d'administration.",
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
        "Le code qui fixe les règles des CCAS, de l'aide sociale légale et de la domiciliation.",
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
        "DALO",
        "droit au logement opposable",
        "Recours permettant à un ménage mal logé d'être reconnu prioritaire pour un logement "
        "social.",
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
]
