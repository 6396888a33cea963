"""Demo glossary: the sigles of French social action, and the words of the trade a new maire or a
CCAS director meets (délégation de signature, aide facultative, domiciliation…), with our own
definitions and the articles of the CASF they come from.

`GLOSSARY` lists (entry, expansion or précision, definition); its kind is the list it comes
from (`SIGLES` or `TERMS`). `load_glossary()` writes it, idempotently."""

from knowledge_base.models.snippets import GlossaryKind, GlossaryTerm

# Sigles: the first use of each in a guide is marked up with its expansion.
SIGLES = [
    (
        "AAH",
        "allocation aux adultes handicapés",
        "Minimum de ressources versé par la CAF aux personnes handicapées, sur décision de la MDPH.",
    ),
    (
        "ABS",
        "analyse des besoins sociaux",
        "Diagnostic de la population et de ses besoins que chaque CCAS doit conduire : une "
        "analyse socio-démographique dans l'année qui suit le renouvellement du conseil "
        "municipal, puis des analyses thématiques pendant le mandat, présentées à son conseil "
        "d'administration (CASF R123-1).",
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
        "Minimum vieillesse, versé par les caisses de retraite ; le CCAS aide souvent à monter le "
        "dossier.",
    ),
    (
        "CA",
        "conseil d'administration",
        "Instance qui délibère sur les affaires du CCAS : présidée par le maire, composée à parts "
        "égales d'élus municipaux et de membres nommés.",
    ),
    (
        "CAF",
        "caisse d'allocations familiales",
        "Organisme de la branche famille de la sécurité sociale : prestations familiales, aides au "
        "logement, RSA, prime d'activité.",
    ),
    (
        "CASF",
        "code de l'action sociale et des familles",
        "Le code qui fixe les règles des CCAS (articles L123-4 à L123-9 et R123-1 et suivants : "
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
        "Organisme local de l'assurance maladie : remboursements, complémentaire santé solidaire.",
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
        "Guichet unique des droits liés au handicap : AAH, PCH, orientation.",
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
        "Enquête annuelle de l'INSEE ; ses résultats communaux servent de base à l'ABS.",
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
        "accompagné ; le 115 en dépend.",
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
        "Association des CCAS et CIAS d'un département : formation, ressources, représentation.",
    ),
    (
        "UNCCAS",
        "Union nationale des centres communaux et intercommunaux d'action sociale",
        "Tête de réseau nationale des CCAS et CIAS.",
    ),
]

# Words of the trade, explained on /glossaire/ only (never marked up in a guide's text).
TERMS = [
    (
        "Aide facultative",
        "aide extralégale",
        "Aide que le CCAS décide d'accorder au-delà de ce que la loi impose, sous forme de "
        "prestations remboursables ou non (CASF L123-5) : secours d'urgence, aides à l'énergie "
        "ou au loyer, au permis de conduire, aux obsèques… Le conseil d'administration en fixe "
        "les conditions, en général dans un règlement des aides facultatives, et deux "
        "demandeurs dans la même situation doivent être traités de la même façon.",
    ),
    (
        "Aide légale",
        "aide sociale légale",
        "Aide que la loi accorde à toute personne qui remplit ses conditions (aide sociale aux "
        "personnes âgées ou handicapées, ASPA…) : ni le CCAS ni la commune n'en fixent les "
        "règles. Le CCAS reçoit la demande, constitue le dossier et le transmet avec son avis, "
        "dans le mois du dépôt, à l'autorité qui décide, le plus souvent le président du "
        "conseil départemental (CASF L123-5, L131-1).",
    ),
    (
        "Analyse des besoins sociaux",
        "",
        "Diagnostic que chaque CCAS ou CIAS doit conduire : une analyse de la population "
        "(âge, familles, revenus, logement…) et de ses besoins dans l'année qui suit le "
        "renouvellement du conseil municipal, puis des analyses thématiques pendant le mandat, "
        "présentées au conseil d'administration (CASF R123-1, dans sa rédaction issue du décret "
        "n° 2016-824 du 21 juin 2016). Sigle : ABS.",
    ),
    (
        "Conseil d'administration",
        "",
        "Instance qui administre le CCAS et délibère sur ses affaires : budget, règlement des "
        "aides facultatives, délégations… Le maire le préside de droit ; il comprend en outre, "
        "en nombre égal, des membres élus par le conseil municipal en son sein et des membres "
        "nommés par le maire, 8 au moins et 16 au plus, nombre fixé par le conseil municipal. Il "
        "est renouvelé après chaque élection municipale (CASF L123-6, R123-7). Sigle : CA.",
    ),
    (
        "Délégation de pouvoirs",
        "",
        "Délibération par laquelle le conseil d'administration confie au président, au "
        "vice-président ou au vice-président délégué une partie de ses pouvoirs, dans les seules "
        "matières que le code énumère, comme l'attribution des aides dans les conditions que le "
        "conseil a fixées. Le délégataire signe lui-même les décisions prises à ce titre et en "
        "rend compte à chaque réunion du conseil, qui peut mettre fin à la délégation (CASF "
        "R123-21, R123-22).",
    ),
    (
        "Délégation de signature",
        "",
        "Arrêté par lequel le président du CCAS autorise une personne que le code désigne, "
        "comme le vice-président ou le directeur ou la directrice, à signer en son nom les "
        "décisions qu'il énumère (CASF R123-23). Le président garde la compétence et la "
        "responsabilité, et peut retirer la délégation. Une décision signée sans délégation "
        "précise, régulière et publiée est irrégulière.",
    ),
    (
        "Domiciliation",
        "élection de domicile",
        "Adresse administrative qu'un CCAS ou un organisme agréé donne à une personne sans "
        "domicile stable, pour qu'elle reçoive son courrier et fasse valoir ses droits ; on dit "
        "aussi élection de domicile. Le CCAS doit l'assurer aux personnes qui ont un lien avec "
        "la commune, ne peut la refuser que faute de ce lien, par une décision motivée, et rend "
        "compte chaque année de cette activité au préfet (CASF L264-1 et suivants, D264-8).",
    ),
    (
        "Établissement public administratif",
        "",
        "Ce qu'est un CCAS ou un CIAS en droit (CASF L123-6) : une personne morale de droit "
        "public distincte de la commune ou de l'intercommunalité, avec son conseil "
        "d'administration, son budget, son personnel et ses biens. Ses comptes suivent les "
        "règles de la comptabilité des communes (CASF L123-8).",
    ),
    (
        "Membre élu",
        "",
        "Conseiller ou conseillère municipal(e) élu(e) au conseil d'administration du CCAS par "
        "le conseil municipal, parmi ses membres, au scrutin de liste à la représentation "
        "proportionnelle. Ils sont de 4 à 8, autant que de membres nommés, et leur mandat suit "
        "celui du conseil municipal (CASF L123-6, R123-8).",
    ),
    (
        "Membre nommé",
        "",
        "Personne nommée par arrêté du maire parmi celles qui mènent des actions de prévention, "
        "d'animation ou de développement social dans la commune ; autant que de membres élus. "
        "Parmi eux, au moins un représentant des associations familiales (sur proposition de "
        "l'UDAF), des associations d'insertion et de lutte contre les exclusions, des "
        "associations de retraités et de personnes âgées, et des associations de personnes "
        "handicapées (CASF L123-6).",
    ),
    (
        "Obligation alimentaire",
        "",
        "Devoir d'aider un proche dans le besoin, fixé par le Code civil entre ascendants et "
        "descendants et, sous conditions, entre gendres ou belles-filles et beaux-parents "
        "(articles 205 à 207). Quand une personne demande certaines aides sociales légales, "
        "comme l'aide sociale à l'hébergement en établissement, ses obligés alimentaires sont "
        "invités à dire ce qu'ils peuvent verser (CASF L132-6) ; le CCAS recueille ces "
        "éléments en constituant le dossier.",
    ),
    (
        "Président(e) du CCAS",
        "",
        "Le maire, président de droit du conseil d'administration (pour un CIAS, le président "
        "de l'intercommunalité). Il ou elle prépare et exécute les délibérations du conseil, "
        "ordonne les dépenses et les recettes, nomme les agents du CCAS et peut déléguer sa "
        "signature (CASF L123-6, R123-23).",
    ),
    (
        "Registre des personnes vulnérables",
        "",
        "Registre nominatif tenu par le maire, souvent confié au CCAS, des personnes âgées de "
        "65 ans ou plus, des personnes de plus de 60 ans reconnues inaptes au travail et des "
        "adultes handicapés qui vivent à domicile et demandent à y figurer. L'inscription est "
        "facultative ; le registre sert à les joindre quand le plan d'alerte et d'urgence est "
        "déclenché (canicule, autre risque exceptionnel) (CASF L121-6-1, R121-2 et suivants).",
    ),
    (
        "Secours d'urgence",
        "aide facultative accordée sans délai",
        "Aide d'un faible montant, en argent, en bon ou en nature (alimentation, hygiène, "
        "énergie…), accordée le jour même à une personne qui ne peut pas attendre la réunion du "
        "conseil d'administration, dans les limites que celui-ci a fixées et par la personne à "
        "qui il a délégué ce pouvoir ; le conseil en est informé ensuite.",
    ),
    (
        "Secret professionnel",
        "",
        "Les membres du conseil d'administration et toutes les personnes qui interviennent dans "
        "l'instruction, l'attribution ou la révision des aides sociales sont tenus au secret "
        "professionnel : ce qu'ils apprennent de la situation des demandeurs ne se répète pas, "
        "sous peine des sanctions du Code pénal (CASF L133-5 ; Code pénal, articles 226-13 et "
        "226-14).",
    ),
    (
        "Vice-président(e)",
        "",
        "Membre du conseil d'administration élu(e) par celui-ci dès sa constitution ; il ou elle "
        "préside le conseil en l'absence du maire, président de droit. Le conseil élit aussi un "
        "vice-président délégué, qui le remplace s'il est empêché. Le ou la vice-président(e) "
        "reçoit souvent une délégation de pouvoirs du conseil et une délégation de signature du "
        "président, par exemple pour les aides facultatives courantes (CASF L123-6, R123-21, "
        "R123-23).",
    ),
]

KINDS = {entry: GlossaryKind.SIGLE for entry, _, _ in SIGLES} | {
    entry: GlossaryKind.TERME for entry, _, _ in TERMS
}
GLOSSARY = SIGLES + TERMS

# Head words of earlier demos, when an entry was limited to 20 characters: renamed in place.
RENAMED = {"Délégation": "Délégation de signature", "Aides facultatives": "Aide facultative"}


def load_glossary() -> int:
    """Write the demo glossary (entries found by their text, updated in place) and rename the
    head words of earlier demos. Idempotent; returns the number of entries."""
    for old, new in RENAMED.items():
        if not GlossaryTerm.objects.filter(acronym=new).exists():
            GlossaryTerm.objects.filter(acronym=old).update(acronym=new)
    for entry, expansion, definition in GLOSSARY:
        GlossaryTerm.objects.update_or_create(
            acronym=entry,
            defaults={"kind": KINDS[entry], "expansion": expansion, "definition": definition},
        )
    return len(GLOSSARY)
