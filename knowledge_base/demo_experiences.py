"""Demo experiences of member CCAS: fictional actions written for Maillage, plausible in the
département's communes; contacts are generic service addresses of the demo domain."""

import datetime

EXPERIENCES = [
    {
        "member": "bondy",
        "title": "Une épicerie solidaire itinérante dans les quartiers sans commerce",
        "summary": "Un camion aménagé s'arrête deux fois par semaine au pied des immeubles "
        "éloignés du centre : les foyers orientés y font leurs courses à 20 % du prix.",
        "themes": ["aide-alimentaire-et-epicerie-solidaire"],
        "audiences": ["directeurs", "elus"],
        "start_date": datetime.date(2024, 3, 4),
        "context": "Deux quartiers n'ont plus de supérette et les familles orientées vers "
        "l'épicerie du centre-ville ne s'y rendaient pas, faute de transport.",
        "description": "Un véhicule frigorifique acheté d'occasion et aménagé en boutique. "
        "Deux tournées par semaine, une conseillère en économie sociale et familiale à bord "
        "pour les rendez-vous budget.",
        "objectives": "Rapprocher l'aide alimentaire des foyers qui y renonçaient ; garder le "
        "libre choix des produits.",
        "publics": "Foyers orientés par les travailleurs sociaux, reste à vivre inférieur "
        "à 12 € par jour et par personne.",
        "partners": "Banque alimentaire, bailleur social (prêt d'un local de stockage), "
        "Département.",
        "budget": "Investissement : 42 000 € (véhicule et aménagement), financé à moitié par "
        "une fondation. Fonctionnement : 31 000 € par an.",
        "results": "180 foyers servis la première année, dont 60 % n'avaient jamais poussé "
        "la porte du CCAS.",
        "contact_role": "Service action sociale",
        "contact_email": "epicerie@ccas-bondy.demo",
    },
    {
        "member": "montreuil",
        "title": "Des permanences d'accès aux droits sur le marché",
        "summary": "Chaque samedi matin, un agent du CCAS et un conseiller de la CAF tiennent "
        "un stand sur le marché : simulations, rendez-vous, dossiers commencés sur place.",
        "themes": ["acces-aux-droits"],
        "audiences": ["agents", "partenaires"],
        "start_date": datetime.date(2023, 9, 16),
        "context": "L'ABS montrait un non-recours élevé aux aides au logement et à la "
        "complémentaire santé chez les actifs modestes, peu disponibles en semaine.",
        "description": "Un stand, une tablette connectée, des formulaires papier. Les "
        "situations complexes repartent avec un rendez-vous au CCAS dans la semaine.",
        "objectives": "Aller vers les personnes qui ne viennent pas au guichet ; réduire le "
        "non-recours.",
        "publics": "Habitants du quartier, en particulier les actifs à temps partiel et les "
        "retraités.",
        "partners": "CAF, CPAM, association des commerçants du marché.",
        "budget": "4 500 € par an (stand, tablette, heures du samedi majorées).",
        "results": "310 personnes reçues en un an ; 95 droits ouverts ou rétablis, "
        "principalement aides au logement et complémentaire santé solidaire.",
        "contact_role": "Pôle accueil",
        "contact_email": "acces-droits@ccas-montreuil.demo",
    },
    {
        "member": "saint-denis",
        "title": "Des appels de convivialité pour les aînés isolés",
        "summary": "Des bénévoles formés appellent chaque semaine les personnes âgées "
        "inscrites au registre des personnes vulnérables, toute l'année et pas seulement "
        "pendant les canicules.",
        "themes": ["seniors-et-isolement"],
        "audiences": ["agents", "elus"],
        "start_date": datetime.date(2022, 11, 2),
        "context": "Le registre des personnes vulnérables ne servait qu'en été. Les agents "
        "constataient un isolement durable chez une partie des inscrits.",
        "description": "Quinze bénévoles, une formation de deux jours à l'écoute, un "
        "planning d'appels hebdomadaires et une fiche d'alerte vers le service seniors.",
        "objectives": "Rompre l'isolement, repérer tôt les situations qui se dégradent.",
        "publics": "Personnes de 75 ans ou plus inscrites au registre, vivant seules.",
        "partners": "Associations de quartier, bailleurs, service de portage de repas.",
        "budget": "6 000 € par an (formation, téléphonie, temps de coordination).",
        "results": "140 personnes appelées chaque semaine ; 35 alertes transmises au "
        "service seniors en un an.",
        "contact_role": "Service seniors",
        "contact_email": "seniors@ccas-saint-denis.demo",
    },
    {
        "member": "aubervilliers",
        "title": "Un bureau de domiciliation ouvert le soir",
        "summary": "La remise du courrier des personnes domiciliées est ouverte deux soirs "
        "par semaine jusqu'à 19 h, pour ceux qui travaillent.",
        "themes": ["domiciliation", "acces-aux-droits"],
        "audiences": ["agents", "directeurs"],
        "start_date": datetime.date(2024, 1, 8),
        "context": "Une part croissante des personnes domiciliées travaille, souvent en "
        "horaires décalés, et ne pouvait pas venir chercher son courrier.",
        "description": "Deux agents en horaires décalés, un casier par personne, un SMS "
        "quand un courrier important arrive (avec accord écrit).",
        "objectives": "Éviter les fins de domiciliation faute de passage et les droits "
        "suspendus par un courrier non reçu.",
        "publics": "Personnes domiciliées au CCAS.",
        "partners": "Préfecture (schéma départemental de la domiciliation), associations "
        "agréées du territoire.",
        "budget": "Réorganisation à moyens constants ; 1 200 € pour l'envoi des SMS.",
        "results": "Les radiations pour absence de contact ont baissé d'un tiers.",
        "contact_role": "Service domiciliation",
        "contact_email": "domiciliation@ccas-aubervilliers.demo",
    },
    {
        "member": "pantin",
        "title": "Un café numérique pour faire ses démarches en ligne",
        "summary": "Deux matinées par semaine, des ateliers en petits groupes apprennent à "
        "créer ses comptes en ligne et à les utiliser seul.",
        "themes": ["numerique", "acces-aux-droits"],
        "audiences": ["agents", "partenaires"],
        "start_date": datetime.date(2023, 2, 6),
        "context": "Les agents d'accueil passaient une grande partie de leur temps à faire "
        "les démarches à la place des usagers.",
        "description": "Des ateliers de six personnes au plus, animés par un conseiller "
        "numérique, autour d'un café : messagerie, compte CAF, compte santé, impôts.",
        "objectives": "Rendre les personnes autonomes plutôt que faire à leur place.",
        "publics": "Usagers du CCAS, seniors, personnes peu à l'aise avec l'écrit.",
        "partners": "Médiathèque, France services, association d'insertion (reconditionnement "
        "d'ordinateurs).",
        "budget": "Poste de conseiller numérique cofinancé ; 2 000 € de matériel.",
        "results": "210 participants ; trois sur quatre font désormais seuls au moins une "
        "démarche.",
        "contact_role": "Accueil du CCAS",
        "contact_email": "numerique@ccas-pantin.demo",
    },
    {
        "member": "noisy-le-sec",
        "title": "Un lieu d'accueil enfants-parents dans une résidence sociale",
        "summary": "Un LAEP ouvert deux demi-journées par semaine au rez-de-chaussée d'une "
        "résidence, pour les parents de jeunes enfants hébergés ou mal logés.",
        "themes": ["petite-enfance-et-parentalite", "logement-et-hebergement"],
        "audiences": ["directeurs", "partenaires"],
        "start_date": datetime.date(2024, 9, 2),
        "context": "Des familles hébergées dans une seule pièce, sans espace de jeu pour les "
        "enfants de moins de quatre ans.",
        "description": "Un espace aménagé dans la salle commune, deux accueillantes formées, "
        "un accueil anonyme et gratuit, sans inscription.",
        "objectives": "Offrir un espace de jeu, rompre l'isolement des parents, faciliter le "
        "lien vers la PMI et la crèche.",
        "publics": "Enfants de 0 à 4 ans et leurs parents.",
        "partners": "CAF (prestation de service), PMI, gestionnaire de la résidence.",
        "budget": "22 000 € par an, dont la moitié par la prestation de service de la CAF.",
        "results": "38 familles venues au moins une fois la première année ; 12 enfants "
        "ensuite accueillis en crèche.",
        "contact_role": "Service petite enfance",
        "contact_email": "laep@ccas-noisy-le-sec.demo",
    },
]

PENDING_PROPOSAL = {
    "member": "montreuil",
    "author": "direction@ccas-montreuil.demo",
    "title": "Une aide au permis de conduire en échange d'heures de bénévolat",
    "summary": "Le CCAS finance une partie du permis de jeunes en insertion, qui donnent en "
    "retour des heures à une association de la commune.",
    "themes": ["insertion-et-emploi"],
    "audiences": ["elus", "directeurs"],
    "context": "Le permis est un frein majeur à l'emploi des jeunes suivis par la mission locale.",
    "description": "Une aide facultative plafonnée à 800 €, une convention avec l'auto-école "
    "sociale, 40 heures de bénévolat.",
    "results": "Première promotion de 12 jeunes en cours.",
}

# Sent back by the union's moderator with this comment: Saint-Denis's space shows it « À modifier »
# with the comment and « Modifier et renvoyer ».
SENT_BACK_PROPOSAL = {
    "member": "saint-denis",
    "author": "direction@ccas-saint-denis.demo",
    "title": "Un repas partagé chaque mois dans les résidences autonomie",
    "summary": "Une fois par mois, les résidents invitent les aînés isolés du quartier à un "
    "repas préparé avec l'équipe de la résidence.",
    "themes": ["seniors-et-isolement"],
    "audiences": ["agents", "elus"],
    "context": "Des aînés du quartier vivent seuls à quelques rues des résidences autonomie, "
    "sans jamais y entrer.",
    "description": "Un repas le premier jeudi du mois, des invitations portées par les "
    "bénévoles des appels de convivialité, un minibus pour ceux qui ne marchent plus.",
    "results": "Une vingtaine de convives chaque mois.",
}
MODERATOR = "moderateur@udccas93.demo"
MODERATOR_COMMENT = (
    "Merci de préciser le budget (repas, minibus) et d'indiquer depuis quand l'action existe"
    " : les autres CCAS voudront savoir ce qu'elle coûte avant de la reprendre."
)
