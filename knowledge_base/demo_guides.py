"""Demo practice guides, written for Maillage (never copied). Legal references point to the
official codes on Légifrance."""

CASF_URL = "https://www.legifrance.gouv.fr/codes/texte_lc/LEGITEXT000006074069/"
CGCT_URL = "https://www.legifrance.gouv.fr/codes/texte_lc/LEGITEXT000006070633/"


def h2(text):
    return {"type": "heading", "value": {"text": text, "level": "h2"}}


def text(html):
    return {"type": "rich_text", "value": html}


def law(article, summary, code="CASF", url=CASF_URL):
    return {
        "type": "legal_reference",
        "value": {"code": code, "article": article, "summary": summary, "url": url},
    }


def figure(value, unit, label, source=""):
    return {
        "type": "key_figure",
        "value": {"value": value, "unit": unit, "label": label, "source": source},
    }


def steps(title, items, style="steps"):
    return {
        "type": "steps",
        "value": {
            "style": style,
            "title": title,
            "items": [{"title": t, "text": d} for t, d in items],
        },
    }


def callout(kind, title, html):
    return {"type": "callout", "value": {"kind": kind, "title": title, "text": html}}


def faq(items):
    return {
        "type": "faq",
        "value": {
            "title": "Questions fréquentes",
            "items": [{"question": q, "answer": a} for q, a in items],
        },
    }


def table(caption, rows):
    return {
        "type": "table",
        "value": {
            "table_caption": caption,
            "table_header_choice": "both",
            "first_row_is_table_header": True,
            "first_col_is_header": True,
            "data": rows,
        },
    }


UNION_CONTACT = {
    "type": "contact",
    "value": {
        "name": "Pôle ressources",
        "role": "Conseil juridique et méthodologique aux CCAS",
        "organisation": "Union départementale des CCAS",
        "email": "ressources@udccas93.demo",
        "phone": "01 00 00 00 00",
    },
}

GUIDES = [
    {
        "slug": "conduire-analyse-besoins-sociaux",
        "title": "Conduire l'analyse des besoins sociaux (ABS)",
        "summary": "Ce que la loi demande, les données à réunir, le calendrier du mandat et la "
        "façon de présenter l'ABS au conseil d'administration, sans dépenser une fortune.",
        "themes": ["abs-et-observation-sociale", "gouvernance-du-ccas"],
        "audiences": ["directeurs", "elus"],
        "authors": [("Élodie Rédaction", "chargée de mission observation sociale")],
        "reviewed_days_ago": 40,
        "body": [
            h2("Ce que dit le texte"),
            text(
                "<p>Chaque CCAS ou CIAS procède à une analyse des besoins sociaux de "
                "l'ensemble de la population qui relève de lui. Depuis le décret du 21 juin "
                "2016, elle n'est plus annuelle : une analyse socio-démographique est "
                "attendue dans l'année qui suit le renouvellement général des conseils "
                "municipaux, puis des analyses thématiques peuvent la compléter pendant le "
                "mandat.</p>"
            ),
            law(
                "R123-1",
                "Le CCAS conduit une analyse des besoins sociaux de la population ; elle "
                "fait l'objet d'un rapport présenté au conseil d'administration. Une analyse "
                "socio-démographique est réalisée dans l'année civile qui suit le "
                "renouvellement des conseils municipaux.",
            ),
            figure(
                "15 000",
                "euros",
                "ordre de grandeur du coût d'une ABS confiée à un cabinet, pour une commune",
                "Estimation de l'union à partir des devis reçus par ses membres",
            ),
            h2("Les données à réunir"),
            text(
                "<p>Le socle vient du recensement de la population (RP) et des revenus "
                "localisés de l'INSEE (Filosofi), complétés par la CAF, le Département et "
                "l'activité du CCAS lui-même. Une valeur communale ne parle qu'à côté de "
                "références : l'intercommunalité, le département, la région, la France "
                "métropolitaine, et des communes comparables.</p>"
            ),
            table(
                "Indicateurs de départ de l'ABS",
                [
                    ["Indicateur", "Source", "Lecture"],
                    [
                        "Taux de pauvreté au seuil de 60 %",
                        "INSEE Filosofi",
                        "plus il est haut, plus la population est fragile",
                    ],
                    [
                        "Part des familles monoparentales",
                        "INSEE RP",
                        "plus elle est haute, plus la population est fragile",
                    ],
                    [
                        "Part des 75 ans ou plus vivant seuls",
                        "INSEE RP",
                        "repère l'isolement des aînés",
                    ],
                    [
                        "Allocataires dont les ressources dépendent à 100 % des prestations",
                        "CAF",
                        "mesure la dépendance aux aides",
                    ],
                    [
                        "Élections de domicile actives",
                        "activité du CCAS",
                        "signale la grande précarité",
                    ],
                ],
            ),
            callout(
                "warning",
                "Rupture de série",
                "<p>Le dernier millésime de Filosofi est 2021 : l'INSEE n'a pas produit "
                "d'édition 2022. Ne tracez pas de courbe continue par-dessus ce trou.</p>",
            ),
            h2("Le calendrier conseillé"),
            steps(
                "D'une élection municipale à l'autre",
                [
                    (
                        "Mois 1 à 3 : cadrer",
                        "Le conseil d'administration fixe les questions prioritaires et le périmètre.",
                    ),
                    (
                        "Mois 3 à 8 : collecter et comparer",
                        "Utilisez les données mutualisées par l'union plutôt que de les racheter.",
                    ),
                    (
                        "Mois 8 à 12 : présenter",
                        "Rapport au conseil d'administration, puis version courte pour le conseil municipal.",
                    ),
                    (
                        "Années suivantes : approfondir",
                        "Une analyse thématique par an (seniors, logement, jeunes...).",
                    ),
                ],
            ),
            faq(
                [
                    (
                        "Un CCAS de moins de 1 500 habitants doit-il faire une ABS ?",
                        "<p>Si la commune a conservé son CCAS, oui : l'obligation vise tout "
                        "CCAS. Si l'action sociale a été transférée à un CIAS, c'est lui qui "
                        "la conduit.</p>",
                    ),
                    (
                        "Peut-on mutualiser l'ABS entre communes ?",
                        "<p>Oui pour la collecte et les comparaisons : c'est l'objet du "
                        "module Indicateurs de l'union. Chaque CCAS garde ses propres "
                        "conclusions.</p>",
                    ),
                ]
            ),
            UNION_CONTACT,
        ],
    },
    {
        "slug": "composer-conseil-administration-ccas",
        "title": "Composer le conseil d'administration du CCAS",
        "summary": "Élus et membres nommés, associations à représenter, calendrier après les "
        "élections municipales : la composition du conseil d'administration pas à pas.",
        "themes": ["gouvernance-du-ccas"],
        "audiences": ["elus", "directeurs"],
        "authors": [("Alice Admin", "déléguée générale de l'union")],
        "reviewed_days_ago": 420,
        "body": [
            h2("Qui siège au conseil"),
            law(
                "L123-6",
                "Le CCAS est administré par un conseil d'administration présidé par le maire. "
                "Il comprend, en nombre égal, des membres élus en son sein par le conseil "
                "municipal et des membres nommés par le maire parmi les personnes qui "
                "participent à des actions de prévention, d'animation ou de développement "
                "social dans la commune. Le conseil élit un vice-président.",
            ),
            table(
                "Composition du conseil d'administration",
                [
                    ["Collège", "Minimum", "Maximum"],
                    ["Membres élus par le conseil municipal", "4", "8"],
                    ["Membres nommés par le maire", "4", "8"],
                    ["Total, sans compter le maire", "8", "16"],
                ],
            ),
            text(
                "<p>Parmi les membres nommés figurent obligatoirement un représentant des "
                "associations familiales (sur proposition de l'UDAF), un représentant des "
                "associations de retraités et de personnes âgées du département, un "
                "représentant des associations de personnes handicapées du département et un "
                "représentant des associations qui œuvrent dans l'insertion et la lutte "
                "contre les exclusions.</p>"
            ),
            law(
                "R123-7 à R123-15",
                "Le conseil municipal fixe le nombre des membres ; ses représentants sont élus "
                "au scrutin de liste à la représentation proportionnelle au plus fort reste ; "
                "le maire nomme les autres membres après avoir informé les associations "
                "concernées.",
            ),
            h2("Le calendrier après les élections"),
            steps(
                "Renouveler le conseil",
                [
                    ("Délibérer sur le nombre de membres", "Un nombre pair, de 8 à 16 hors maire."),
                    (
                        "Élire les représentants du conseil municipal",
                        "Scrutin de liste, proportionnelle au plus fort reste, vote secret.",
                    ),
                    (
                        "Informer les associations",
                        "Par voie d'affichage et par courrier aux unions et fédérations, en leur laissant le temps de proposer des noms.",
                    ),
                    (
                        "Prendre l'arrêté de nomination",
                        "Le maire nomme les membres issus de la société civile.",
                    ),
                    (
                        "Réunir le premier conseil",
                        "Élection du vice-président, délégations, règlement intérieur.",
                    ),
                ],
            ),
            callout(
                "tip",
                "Bon à savoir",
                "<p>Les membres du conseil sont tenus au secret professionnel pour les "
                "situations individuelles examinées. Rappelez-le dès la première séance.</p>",
            ),
            faq(
                [
                    (
                        "Un adjoint peut-il être membre nommé ?",
                        "<p>Non : les membres nommés ne peuvent pas être membres du conseil "
                        "municipal. Les élus siègent au titre du collège des élus.</p>",
                    ),
                    (
                        "Que faire si une association ne propose personne ?",
                        "<p>Gardez la trace de la sollicitation. Le conseil peut "
                        "délibérer valablement ; relancez l'association pour le prochain "
                        "siège vacant.</p>",
                    ),
                ]
            ),
            UNION_CONTACT,
        ],
    },
    {
        "slug": "mettre-en-place-domiciliation",
        "title": "Mettre en place la domiciliation des personnes sans domicile stable",
        "summary": "Qui peut être domicilié, les motifs de refus, la durée, le courrier et le "
        "rapport annuel au préfet : organiser l'élection de domicile au CCAS.",
        "themes": ["domiciliation", "acces-aux-droits"],
        "audiences": ["agents", "directeurs"],
        "authors": [("Marc Modération", "référent accès aux droits")],
        "reviewed_days_ago": 120,
        "body": [
            h2("Le principe"),
            text(
                "<p>Sans adresse, il est impossible d'ouvrir des droits, de recevoir un "
                "courrier de la CAF ou de la CPAM, de s'inscrire sur les listes électorales. "
                "L'élection de domicile donne une adresse administrative aux personnes sans "
                "domicile stable.</p>"
            ),
            law(
                "L264-1",
                "Pour prétendre aux prestations sociales et exercer leurs droits, les "
                "personnes sans domicile stable élisent domicile auprès d'un CCAS ou CIAS, "
                "ou d'un organisme agréé.",
            ),
            law(
                "L264-4",
                "Le CCAS ou CIAS ne peut refuser l'élection de domicile que si la personne "
                "n'a aucun lien avec la commune ou le groupement de communes ; le refus est "
                "motivé et oriente vers un autre organisme.",
            ),
            figure("1", "an", "durée de l'élection de domicile, renouvelable"),
            h2("Organiser le service"),
            steps(
                "Avant d'ouvrir",
                [
                    (
                        "Désigner des agents référents",
                        "Au moins deux, formés à l'entretien et au registre.",
                    ),
                    (
                        "Définir le lien avec la commune",
                        "Séjour, démarches d'insertion, liens familiaux, scolarisation des enfants...",
                    ),
                    (
                        "Organiser la remise du courrier",
                        "Horaires, pièce d'identité, procuration écrite.",
                    ),
                    (
                        "Tenir le registre et les attestations",
                        "Formulaire officiel d'attestation, dates de début et de fin.",
                    ),
                ],
                style="checklist",
            ),
            callout(
                "warning",
                "Échéance",
                "<p>Le CCAS transmet chaque année, avant le 31 janvier, un rapport sur son "
                "activité de domiciliation au préfet (CASF, article D264-8).</p>",
            ),
            faq(
                [
                    (
                        "Quand la domiciliation prend-elle fin ?",
                        "<p>À son terme si elle n'est pas renouvelée, à la demande de la "
                        "personne, ou lorsqu'elle ne s'est pas manifestée pendant plus de "
                        "trois mois consécutifs.</p>",
                    ),
                    (
                        "Faut-il un titre de séjour ?",
                        "<p>La domiciliation généraliste s'adresse aussi aux personnes "
                        "étrangères pour les droits auxquels elles peuvent prétendre ; la "
                        "demande d'asile relève d'un dispositif distinct.</p>",
                    ),
                ]
            ),
            UNION_CONTACT,
        ],
    },
    {
        "slug": "ouvrir-epicerie-solidaire",
        "title": "Ouvrir une épicerie solidaire",
        "summary": "De l'étude d'opportunité à l'ouverture : public, approvisionnement, "
        "participation des clients, budget et partenaires d'une épicerie sociale et solidaire.",
        "themes": ["aide-alimentaire-et-epicerie-solidaire", "insertion-et-emploi"],
        "audiences": ["directeurs", "elus", "partenaires"],
        "authors": [("Élodie Rédaction", "chargée de mission")],
        "reviewed_days_ago": 200,
        "body": [
            h2("Pourquoi une épicerie plutôt qu'un colis"),
            text(
                "<p>Une épicerie solidaire propose des produits variés, dont des produits "
                "frais, contre une participation de 10 à 30 % du prix habituel. Les "
                "personnes choisissent ce qu'elles achètent ; l'aide s'accompagne d'un "
                "projet (budget, dette, emploi) et d'une durée limitée.</p>"
            ),
            law(
                "L266-1",
                "La lutte contre la précarité alimentaire vise à favoriser l'accès à une "
                "alimentation sûre, diversifiée, de bonne qualité et en quantité suffisante "
                "aux personnes en situation de vulnérabilité.",
            ),
            law(
                "L266-2",
                "Seules des personnes morales habilitées peuvent recevoir des contributions "
                "publiques destinées à la mise en œuvre de l'aide alimentaire ; l'habilitation "
                "concerne les organismes de droit privé.",
            ),
            h2("Les étapes"),
            steps(
                "De l'idée à l'ouverture",
                [
                    (
                        "Mesurer le besoin",
                        "Données de l'ABS, demandes d'aide facultative, files d'attente des distributions.",
                    ),
                    (
                        "Choisir le portage",
                        "En régie par le CCAS, ou par une association soutenue.",
                    ),
                    (
                        "Fixer les critères d'accès",
                        "Reste à vivre par jour et par personne, durée, commission d'orientation.",
                    ),
                    (
                        "Organiser l'approvisionnement",
                        "Banque alimentaire, achats, dons de la grande distribution, producteurs locaux.",
                    ),
                    (
                        "Recruter et former",
                        "Un encadrant, des bénévoles, éventuellement des salariés en insertion.",
                    ),
                ],
            ),
            table(
                "Exemple de budget annuel de fonctionnement (épicerie de 120 foyers)",
                [
                    ["Poste", "Montant (€)"],
                    ["Personnel (1 ETP)", "38 000"],
                    ["Achats de denrées", "25 000"],
                    ["Local, énergie, chambre froide", "9 000"],
                    ["Participation des clients (recette)", "-8 000"],
                ],
            ),
            callout(
                "tip",
                "Réseau",
                "<p>Les réseaux nationaux d'épiceries solidaires proposent formations, "
                "approvisionnement et outils de gestion : adhérer coûte moins cher que tout "
                "réinventer.</p>",
            ),
            UNION_CONTACT,
        ],
    },
    {
        "slug": "cent-premiers-jours-mandat",
        "title": "Les cent premiers jours d'un mandat au CCAS",
        "summary": "Pour les élus nouvellement désignés : installer le conseil, voter le budget, "
        "lancer l'ABS, rencontrer les partenaires. Une feuille de route pour les trois "
        "premiers mois.",
        "themes": ["gouvernance-du-ccas", "abs-et-observation-sociale"],
        "audiences": ["elus"],
        "authors": [("Alice Admin", "déléguée générale"), ("Marc Modération", "formateur")],
        "reviewed_days_ago": 30,
        "body": [
            h2("Semaine 1 à 4 : installer"),
            text(
                "<p>Le conseil municipal délibère sur le nombre de membres du conseil "
                "d'administration et élit ses représentants ; le maire nomme les autres "
                "membres. Le premier conseil élit le vice-président, qui animera le CCAS au "
                "quotidien.</p>"
            ),
            h2("Mois 2 : décider"),
            steps(
                "Les délibérations de début de mandat",
                [
                    (
                        "Délégations",
                        "Au président, au vice-président et, pour la gestion courante, au directeur.",
                    ),
                    (
                        "Budget",
                        "Le budget du CCAS est distinct de celui de la commune ; la subvention communale en est la principale recette.",
                    ),
                    (
                        "Règlement des aides facultatives",
                        "Critères, barèmes, commission : relisez-le avant la première commission.",
                    ),
                ],
            ),
            law(
                "L1612-2",
                "Le budget est adopté avant le 15 avril de l'exercice, ou avant le 30 avril "
                "l'année du renouvellement des organes délibérants.",
                code="CGCT",
                url=CGCT_URL,
            ),
            h2("Mois 3 : comprendre le territoire"),
            text(
                "<p>L'analyse des besoins sociaux doit être engagée dans l'année qui suit "
                "l'élection. Demandez au directeur les indicateurs déjà disponibles dans "
                "Maillage, et visitez les services : accueil, domiciliation, épicerie, "
                "portage de repas.</p>"
            ),
            callout(
                "info",
                "Atelier début de mandat",
                "<p>L'union organise chaque année après les municipales un atelier pour "
                "les nouveaux élus. Les inscriptions se font depuis la page Séminaires et "
                "ateliers.</p>",
            ),
            steps(
                "Votre liste de contrôle",
                [
                    ("Conseil d'administration installé", ""),
                    ("Vice-président élu et délégations votées", ""),
                    ("Budget voté", ""),
                    ("ABS lancée", ""),
                    ("Partenaires rencontrés (CAF, Département, bailleurs)", ""),
                ],
                style="checklist",
            ),
        ],
    },
    {
        "slug": "partager-resultats-abs-sans-donnees-personnelles",
        "title": "Partager les résultats de l'ABS sans données personnelles",
        "summary": "Secret statistique, petits effectifs, secret secondaire : publier des "
        "chiffres utiles sans permettre de reconnaître un ménage.",
        "themes": ["abs-et-observation-sociale", "numerique"],
        "audiences": ["directeurs", "agents"],
        "authors": [("Élodie Rédaction", "chargée de mission observation sociale")],
        "reviewed_days_ago": 500,
        "body": [
            h2("La règle"),
            text(
                "<p>Un tableau publié ne doit permettre à personne d'identifier un ménage, "
                "même en croisant plusieurs chiffres. Les données de l'INSEE et de la CAF "
                "arrivent déjà protégées ; les chiffres d'activité du CCAS doivent l'être "
                "par vos soins.</p>"
            ),
            law(
                "Loi n° 51-711 du 7 juin 1951",
                "Elle fonde le secret statistique : les informations individuelles recueillies "
                "à des fins statistiques ne peuvent être diffusées de façon à identifier les "
                "personnes.",
                code="LOI",
                url="https://www.legifrance.gouv.fr/loda/id/JORFTEXT000000888573",
            ),
            figure(
                "11",
                "",
                "effectif en dessous duquel l'union masque une case",
                "Règle du CNIS pour les données carroyées",
            ),
            h2("Trois cas à distinguer"),
            table(
                "Comment afficher une valeur",
                [
                    ["Cas", "Affichage", "Traitement"],
                    ["Valeur publiable", "le nombre", "comparée, classée, moyennée"],
                    [
                        "Secret (existe, non publiable)",
                        "s",
                        "jamais zéro, jamais moyennée ni classée",
                    ],
                    ["Manquante", "n.d.", "exclue des calculs, signalée"],
                ],
            ),
            callout(
                "warning",
                "Le secret secondaire",
                "<p>Si une ligne masque une case, le total permet souvent de la "
                "recalculer. Masquez alors une seconde case, ou publiez le total "
                "seulement.</p>",
            ),
            steps(
                "Avant de publier",
                [
                    ("Aucune case sous le seuil", ""),
                    ("Aucun total qui révèle une case masquée", ""),
                    ("Aucun nom, adresse ou date de naissance, même en annexe", ""),
                    ("Sources et millésimes indiqués", ""),
                ],
                style="checklist",
            ),
            faq(
                [
                    (
                        "Pourquoi un taux de pauvreté affiché 5 % ?",
                        "<p>L'INSEE affiche 5 % pour tout taux inférieur : c'est un plancher, "
                        "pas une mesure.</p>",
                    ),
                    (
                        "Peut-on transmettre des listes nominatives à l'union ?",
                        "<p>Non. Seuls des agrégats quittent l'espace du CCAS ; Maillage "
                        "applique lui-même les seuils au moment de la publication.</p>",
                    ),
                ]
            ),
            UNION_CONTACT,
        ],
    },
]
