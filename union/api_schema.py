"""OpenAPI schema hooks (drf-spectacular)."""

from django.conf import settings
from drf_spectacular.drainage import warn
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import inline_serializer
from rest_framework import serializers, views
from rest_framework.utils import formatting


def only_api_paths(endpoints):
    """Keep the project's API (/api/…): the portal's URLconf also mounts Wagtail's internal admin
    API (/admin/api/main/…), which is not ours to publish."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/")]


# --- French documentation (OpenAPI and DRF's OPTIONS) -------------------------------------------
# One table for every API view: its tag (a domain of the documentation), its name (DRF's OPTIONS
# answer) and, per HTTP method, a summary and a description in French. The schema class below and
# DRF's VIEW_NAME_FUNCTION / VIEW_DESCRIPTION_FUNCTION read it, so the views' docstrings (English,
# for developers) are never published. A description left to None is the view's own
# `extend_schema(description=…)`, already French. A view missing here is a schema warning
# (`manage.py spectacular --fail-on-warn` fails) and tests/union/test_api_docs_s31.py fails.

AUTH = "Authentification"
PLACES = "Communes et membres"
ABS = "Indicateurs ABS"
OBSERVATIONS = "Observations ABS du membre"
KNOWLEDGE = "Guides et expériences"
EVENTS = "Événements"
REGISTRATIONS = "Inscriptions et émargement"
WORKSPACE = "Espace du membre"

TAGS = [
    (AUTH, "Obtenir le jeton d'API d'une personne (en-tête `Authorization: Token <jeton>`)."),
    (PLACES, "Les communes du code officiel géographique et les membres de l'union."),
    (ABS, "Le catalogue des indicateurs, les comparaisons et les séries dans le temps."),
    (OBSERVATIONS, "Les valeurs d'un membre : import, validation, publication, retrait."),
    (KNOWLEDGE, "Les guides pratiques et les expériences publiés sur le portail."),
    (EVENTS, "Les rencontres de l'union, leur bilan et les avis des participants."),
    (REGISTRATIONS, "Les inscriptions aux rencontres, leur import, leur export, l'émargement."),
    (WORKSPACE, "Le profil, les documents, le rapport d'activité et le conseil d'administration."),
]

# Ids in the selections of observations (validate, publish, retract).
_SELECTION = (
    'Corps JSON `{"year": …, "indicators": [codes]}` ; sans `year` : toutes les années, '
    "sans `indicators` : tous les indicateurs. Réservé à la direction du membre. Réponse : "
    "le nombre d'observations concernées."
)

API_DOCS: dict[str, tuple[str, str, dict[str, tuple[str, str | None]]]] = {
    "union.tokens.ObtainAPIToken": (
        AUTH,
        "Jeton d'API",
        {
            "POST": (
                "Obtenir son jeton d'API",
                "Adresse e-mail (champ `username`) et mot de passe d'un compte actif : la réponse "
                "donne le jeton de la personne, à envoyer ensuite dans l'en-tête "
                "`Authorization: Token <jeton>`. Le jeton reste valable jusqu'au prochain changement "
                "de mot de passe. Identifiants refusés : 400 ; trop de tentatives depuis la même "
                "adresse IP : 429, avec l'en-tête `Retry-After`.",
            ),
        },
    ),
    "tenants.api.CommuneMatch": (
        PLACES,
        "Recherche de commune",
        {
            "GET": (
                "Rechercher une commune",
                "Retrouve une commune tapée (nom ou code INSEE) dans la liste officielle, "
                "les plus proches d'abord.",
            ),
        },
    ),
    "tenants.api.MemberList": (
        PLACES,
        "Membres de l'union",
        {
            "GET": ("Lister les membres", "Les membres actifs de l'union (CCAS et CIAS)."),
        },
    ),
    "abs_shared.api.IndicatorList": (
        ABS,
        "Indicateurs",
        {
            "GET": (
                "Lister les indicateurs",
                "Le catalogue des indicateurs (sans pagination : quelques dizaines de lignes).",
            ),
        },
    ),
    "abs_shared.api.IndicatorDetail": (
        ABS,
        "Indicateur",
        {
            "GET": ("Lire un indicateur", "Un indicateur du catalogue, par son code."),
        },
    ),
    "abs_shared.api.ComparisonView": (
        ABS,
        "Comparaison",
        {
            "GET": (
                "Comparer une commune ou une intercommunalité",
                "La valeur d'une commune face à ses territoires, aux membres et aux communes de sa "
                "taille ; ou celle d'une intercommunalité (son CIAS) face à ses territoires et aux "
                "autres CIAS (`peers` : null). Valeurs publiées seulement.",
            ),
        },
    ),
    "abs_shared.local.api.MemberComparisonView": (
        ABS,
        "Comparaison",
        {
            "GET": (
                "Comparer une commune ou une intercommunalité",
                "Comme sur le portail : la valeur d'une commune face à ses territoires, aux membres "
                "et aux communes de sa taille ; ou celle d'une intercommunalité (son CIAS) face à ses "
                "territoires et aux autres CIAS (`peers` : null).",
            ),
        },
    ),
    "abs_shared.api.SeriesView": (
        ABS,
        "Série",
        {
            "GET": (
                "Suivre une valeur dans le temps",
                "Les valeurs d'une commune (ou d'une intercommunalité) année après année, à côté de "
                "ses territoires ; les ruptures de série sont signalées.",
            ),
        },
    ),
    "abs_shared.local.api.MemberSeriesView": (
        ABS,
        "Série",
        {
            "GET": (
                "Suivre une valeur dans le temps",
                "Comme sur le portail : les valeurs d'une commune (ou d'une intercommunalité) année "
                "après année, à côté de ses territoires ; les ruptures de série sont signalées.",
            ),
        },
    ),
    "abs_shared.local.api.ObservationList": (
        OBSERVATIONS,
        "Observations du membre",
        {
            "GET": (
                "Lister les observations du membre",
                "Les observations du membre, brouillons compris (ses personnes seulement).",
            ),
        },
    ),
    "abs_shared.local.api.ObservationImport": (
        OBSERVATIONS,
        "Import d'observations",
        {
            "POST": (
                "Importer des observations",
                "Un fichier CSV ou XLSX (modèle de l'union ou présentation de l'INSEE), importé en "
                "brouillons : tout ou rien. Les agents importent aussi, comme sur la page "
                "`/abs/importer/` : leurs brouillons attendent la validation de la direction.",
            ),
        },
    ),
    "abs_shared.local.api.ObservationValidate": (
        OBSERVATIONS,
        "Validation d'observations",
        {
            "POST": ("Valider des observations", "Valide les brouillons choisis. " + _SELECTION),
        },
    ),
    "abs_shared.local.api.ObservationPublish": (
        OBSERVATIONS,
        "Publication d'observations",
        {
            "POST": (
                "Publier des observations",
                "Publie les observations validées choisies. " + _SELECTION,
            ),
        },
    ),
    "abs_shared.local.api.ObservationRetract": (
        OBSERVATIONS,
        "Retrait d'observations",
        {
            "POST": (
                "Retirer des observations publiées",
                "Retire de la publication les observations choisies. " + _SELECTION,
            ),
        },
    ),
    "knowledge_base.api.GuideList": (
        KNOWLEDGE,
        "Guides pratiques",
        {
            "GET": (
                "Lister les guides pratiques",
                "Les guides pratiques publics publiés, les plus récents d'abord (ou par pertinence "
                "avec `q`).",
            ),
        },
    ),
    "knowledge_base.api.ExperienceList": (
        KNOWLEDGE,
        "Expériences",
        {
            "GET": (
                "Lister les expériences",
                "Les expériences publiques publiées des CCAS membres, les plus récentes d'abord (ou "
                "par pertinence avec `q`).",
            ),
        },
    ),
    "seminars.api.SeminarList": (
        EVENTS,
        "Événements",
        {
            "GET": (
                "Lister les événements",
                "Les événements de l'union, publics et réservés aux membres (jamais ceux sur "
                "invitation).",
            ),
            "POST": (
                "Créer un événement",
                "Crée et publie un événement sous la page de l'agenda (organisateurs).",
            ),
        },
    ),
    "seminars.api.SeminarDetail": (
        EVENTS,
        "Événement",
        {
            "GET": (
                "Lire un événement",
                "Un événement (public ou réservé aux membres ; sur invitation, pour les "
                "organisateurs seulement) avec ses places restantes, ses ateliers et `cancelled`, "
                "comme dans `GET /api/v1/seminars/`.",
            ),
        },
    ),
    "seminars.api.YearReportView": (
        EVENTS,
        "Bilan de l'année",
        {
            "GET": ("Bilan des rencontres de l'année", None),
        },
    ),
    "seminars.api.EvaluationSummaryView": (
        EVENTS,
        "Avis des participants",
        {
            "GET": (
                "Lire les avis des participants",
                "Les avis des participants d'un événement, sans leurs noms (organisateurs).",
            ),
        },
    ),
    "seminars.api.EvaluationRemind": (
        EVENTS,
        "Relance du questionnaire",
        {
            "POST": ("Relancer le questionnaire de satisfaction", None),
        },
    ),
    "seminars.api.RegistrationList": (
        REGISTRATIONS,
        "Inscriptions",
        {
            "GET": (
                "Lister les inscriptions d'un événement",
                "Les inscriptions d'un événement (organisateurs).",
            ),
            "POST": (
                "S'inscrire à un événement",
                "Inscription sans compte, avec les mêmes règles que le formulaire de la page de "
                "l'événement.",
            ),
        },
    ),
    "seminars.api.RegistrationDetail": (
        REGISTRATIONS,
        "Inscription",
        {
            "GET": (
                "Lire une inscription",
                "Une inscription d'un événement (organisateurs), comme dans la liste : l'adresse "
                "que donne l'en-tête `Location` d'une inscription créée (201).",
            ),
            "PATCH": ("Modifier une inscription", None),
        },
    ),
    "seminars.api.RegistrationCheckIn": (
        REGISTRATIONS,
        "Émargement",
        {
            "POST": ("Émarger une inscription", None),
        },
    ),
    "seminars.api.CodeCheckIn": (
        REGISTRATIONS,
        "Émargement par code",
        {
            "POST": ("Émarger avec le code d'un badge", None),
        },
    ),
    "seminars.api.RegistrationExport": (
        REGISTRATIONS,
        "Feuille d'émargement",
        {
            "GET": (
                "Télécharger la feuille d'émargement",
                "La feuille d'émargement de l'événement, triée par nom.",
            ),
        },
    ),
    "seminars.api.RegistrationImport": (
        REGISTRATIONS,
        "Import d'inscriptions",
        {
            "POST": (
                "Importer des inscriptions",
                "Importe une liste CSV ou XLSX : toutes les lignes ou aucune (organisateurs).",
            ),
        },
    ),
    "seminars.member_api.MemberSeminarList": (
        EVENTS,
        "Événements à venir",
        {
            "GET": (
                "Lister les événements à venir",
                "Les prochains événements de l'union (publics et réservés aux membres, jamais sur "
                "invitation), les plus proches d'abord, chacun avec les personnes inscrites que ce "
                "membre voit (tout rôle).",
            ),
        },
    ),
    "seminars.member_api.MemberRegistrationCreate": (
        REGISTRATIONS,
        "Inscription par le membre",
        {
            "POST": (
                "Inscrire quelqu'un de la commune",
                "Inscrit une personne de la commune à un événement à venir (direction, agent), "
                "comme la page « Inscrire quelqu'un » de l'espace membre. Journalisé, la personne "
                "connectée comme auteur.",
            ),
        },
    ),
    "seminars.member_api.MemberRegistrationCancel": (
        REGISTRATIONS,
        "Désinscription",
        {
            "POST": (
                "Désinscrire une personne",
                "Désinscrit une personne que le membre a inscrite (direction, agent), comme le lien "
                "« désinscrire » du tableau de bord, jusqu'à la date limite des modifications ; la "
                "première personne en attente reçoit la place. Une deuxième demande répond de même.",
            ),
        },
    ),
    "tenants.workspace.api.ProfileView": (
        WORKSPACE,
        "Profil du membre",
        {
            "GET": ("Lire le profil du membre", "Le profil du membre, ses services compris."),
            "PUT": (
                "Remplacer le profil du membre",
                "Remplace le profil (direction, agent), ses services aussi s'ils sont envoyés. La "
                "publication dans l'annuaire se choisit par la direction sur la page web.",
            ),
        },
    ),
    "tenants.workspace.api.DocumentList": (
        WORKSPACE,
        "Documents du membre",
        {
            "GET": (
                "Lister les documents du membre",
                "Les documents du membre (ses personnes seulement), le plus récent d'abord ; "
                "`?category=<code>` garde une catégorie, comme « ?categorie= » sur la page.",
            ),
        },
    ),
    "tenants.workspace.api.ActivityReportView": (
        WORKSPACE,
        "Rapport d'activité",
        {
            "GET": (
                "Lire les chiffres d'activité",
                "Les chiffres d'une année à côté de ceux de l'année d'avant, avec les totaux par "
                "pôle. Montants en texte à deux décimales (euros) ; évolutions en nombres à une "
                "décimale, null quand la valeur d'avant manque ou vaut zéro, ou quand les deux "
                "années ne se comparent pas (`partial` : année pas finie, `in_progress` ; chiffres "
                "de l'année d'avant pas encore saisis, `missing`, dont les totaux de pôle ne sont "
                "pas `comparable`). Sans `year` : l'année du tableau de bord, la dernière complète, "
                "sinon la dernière qui a des chiffres.",
            ),
        },
    ),
    "tenants.workspace.api.ActivityImportView": (
        WORKSPACE,
        "Import d'activité",
        {
            "POST": (
                "Importer des chiffres d'activité",
                "Fichier `file` en multipart (CSV ou XLSX, colonnes année, pôle, catégorie, nombre, "
                "montant ; les noms anglais sont acceptés aussi). Tout le fichier est vérifié "
                'd\'abord : 201 `{"imported": n}`, ou 400 `{"errors": [{line, column, message}]}` '
                "sans rien importer ; `column` est l'en-tête tel que le fichier l'écrit (son nom "
                "français quand la colonne manque).",
            ),
        },
    ),
    "tenants.workspace.api.BoardMemberList": (
        WORKSPACE,
        "Conseil d'administration",
        {
            "GET": (
                "Lister le conseil d'administration",
                "Les membres de la mandature en cours (ou de `?mandate=<id>`), avec l'adresse "
                "électronique et l'adresse postale de chacun s'il en a (`email` ; "
                "`postal_address`, une ligne par ligne d'adresse, `postal_code`, `city`) : "
                "elles servent aux convocations, restent dans l'espace du membre et ne sont "
                "jamais publiées. Un compte en lecture seule reçoit chaque membre sans ces "
                "quatre champs : elles sont à la direction et aux agents, qui convoquent.",
            ),
            "POST": (
                "Ajouter au conseil d'administration",
                "Fait siéger une personne dans la mandature en cours ; s'il n'y en a pas encore, "
                "une mandature qui commence à la date d'entrée de la personne est ouverte. "
                "L'adresse postale est facultative, mais complète ou absente : "
                "`postal_address`, `postal_code` (cinq chiffres) et `city` ensemble.",
            ),
        },
    ),
    "tenants.workspace.api.BoardMeetingList": (
        WORKSPACE,
        "Séances du conseil",
        {
            "GET": (
                "Lister les séances du conseil",
                "Les séances du conseil d'administration, la plus récente d'abord : date, heure, "
                "lieu, convocation, ordre du jour (un point par élément), rapport d'ABS présenté, "
                "présences saisies et quorum (CASF R123-16 à R123-18) : `reached` vaut null tant "
                "que les présences à saisir pourraient encore l'atteindre.",
            ),
        },
    ),
    "tenants.workspace.api.BoardComplianceView": (
        WORKSPACE,
        "Conformité du conseil",
        {
            "GET": (
                "Vérifier la composition du conseil",
                "Le conseil en cours (ou `?mandate=<id>`) vérifié au regard des articles L123-6 et "
                "R123-7 du CASF ; pour un CIAS, les textes nomment le président de l'EPCI et son "
                "conseil (R123-27).",
            ),
        },
    ),
}


def _dotted_names(view_class):
    """The dotted paths of a view's class and its parents (drf-spectacular may subclass it)."""
    return [f"{klass.__module__}.{klass.__qualname__}" for klass in view_class.__mro__]


def api_doc(view_class):
    """The table's entry of a view (its class or a parent: drf-spectacular may subclass it)."""
    for name in _dotted_names(view_class):
        entry = API_DOCS.get(name)
        if entry:
            return entry
    return None


# --- Who may call an operation, and what it answers when it refuses ---------------------------
# drf-spectacular offers the anonymous alternative (`{}` in `security`) for AllowAny, and for
# IsAuthenticatedOrReadOnly's reads, only: these operations are open to anyone through the
# project's own permission classes (seminars.api.IsOrganiserOrReadOnly, PublicWriteStaffRead) or
# none at all (DRF's token view), and Redoc showed them as needing a token.
PUBLIC_OPERATIONS = {
    ("union.tokens.ObtainAPIToken", "POST"),
    ("seminars.api.SeminarList", "GET"),
    ("seminars.api.SeminarDetail", "GET"),
    ("seminars.api.RegistrationList", "POST"),
}

# The error bodies (docs/api.md: "Errors are JSON and in French"), one component each.
ERROR_SCHEMAS = {
    "Erreur": {
        "type": "object",
        "description": "Une erreur, en français.",
        "properties": {"detail": {"type": "string", "description": "Le message"}},
        "required": ["detail"],
    },
    "ErreursParChamp": {
        "type": "object",
        "description": 'Erreurs par champ, en français : `{"champ": ["message"]}`, '
        "`non_field_errors` pour le corps entier ; un champ liste ou objet peut donner les "
        "erreurs de ses éléments.",
        "additionalProperties": {"oneOf": [{"type": "array", "items": {}}, {"type": "object"}]},
    },
}
# Status -> (description, the components its body may be). Every operation may answer 400 (an
# unreadable body, an invalid parameter, `?format=` other than json); an operation that needs a
# person answers 401 and 403; a path with an id or a code, 404. Statuses an operation documents
# itself keep their description, and get the body's schema if they name none.
ERRORS = {
    "400": (
        "Requête refusée : erreurs par champ, ou `detail` (corps illisible, paramètre invalide), "
        "en français",
        ("ErreursParChamp", "Erreur"),
    ),
    "401": (
        "Pas d'identifiants, ou jeton inconnu ou révoqué (`detail`, en français) ; l'en-tête "
        "`WWW-Authenticate: Token` le signale",
        ("Erreur",),
    ),
    "403": (
        "Personne connue sans ce droit ici, ou écriture par la session sans l'en-tête "
        "`X-CSRFToken` (`detail`, en français)",
        ("Erreur",),
    ),
    "404": ("Introuvable (`detail`, en français)", ("Erreur",)),
}

# The imports' 400 (activity, observations, registrations): every error of the file, by line.
IMPORT_ERRORS = inline_serializer(
    "ImportErrors",
    {
        "errors": inline_serializer(
            "ImportError",
            {
                "line": serializers.IntegerField(),
                "column": serializers.CharField(),
                "message": serializers.CharField(),
            },
            many=True,
        )
    },
)


def add_error_responses(operation: dict, path: str, registry) -> None:
    """The error statuses an operation answers (ERRORS), with their French body's schema."""
    responses = operation["responses"]
    security = operation.get("security") or [{}]
    wanted = ["400"]
    if {} not in security:
        wanted += ["401", "403"]
    if "{" in path:
        wanted.append("404")
    for status in wanted:
        responses.setdefault(status, {"description": ERRORS[status][0]})
    for status, response in responses.items():
        if status.startswith("4") and "content" not in response:
            names = ERRORS.get(status, ("", ("Erreur",)))[1]
            refs = [_error_component(name, registry) for name in names]
            schema = refs[0] if len(refs) == 1 else {"oneOf": refs}
            response["content"] = {"application/json": {"schema": schema}}
    operation["responses"] = dict(sorted(responses.items()))


def _error_component(name: str, registry) -> dict:
    component = ResolvedComponent(
        name=name, type=ResolvedComponent.SCHEMA, schema=ERROR_SCHEMAS[name], object=name
    )
    registry.register_on_missing(component)
    return component.ref


class FrenchAutoSchema(AutoSchema):
    """drf-spectacular's schema, its tags, summaries and descriptions from API_DOCS."""

    def _entry(self):
        entry = api_doc(type(self.view))
        if entry is None:
            warn(f"no French documentation in union.api_schema.API_DOCS for {type(self.view)}")
        return entry

    def _operation(self):
        entry = self._entry()
        if entry is None:
            return None
        operation = entry[2].get(self.method.upper())
        if operation is None:
            warn(f"no French documentation of {self.method} for {type(self.view)}")
        return operation

    def get_auth(self):
        auth = super().get_auth()
        names = _dotted_names(type(self.view))
        if {} not in auth and any((name, self.method) in PUBLIC_OPERATIONS for name in names):
            auth.append({})
        return auth

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is not None:
            add_error_responses(operation, path, registry)
        return operation

    def get_tags(self):
        entry = self._entry()
        return [entry[0]] if entry else super().get_tags()

    def get_summary(self):
        operation = self._operation()
        return operation[0] if operation else super().get_summary()

    def get_description(self):
        operation = self._operation()
        if operation and operation[1]:
            return operation[1]
        return super().get_description()


def add_tags(result, generator, request, public):
    """Postprocessing hook: the tags' descriptions, in the table's order."""
    used = {
        tag
        for item in result.get("paths", {}).values()
        for op in item.values()
        for tag in op.get("tags", [])
    }
    result["tags"] = [
        {"name": name, "description": description} for name, description in TAGS if name in used
    ]
    return result


def view_name(view):
    """DRF's VIEW_NAME_FUNCTION (OPTIONS): the table's French name."""
    entry = api_doc(type(view))
    return entry[1] if entry else views.get_view_name(view)


def view_description(view, html=False):
    """DRF's VIEW_DESCRIPTION_FUNCTION (OPTIONS): the table's French descriptions, per method."""
    entry = api_doc(type(view))
    if entry is None:
        return views.get_view_description(view, html)
    description = "\n\n".join(
        f"{method} : {text or summary}" if len(entry[2]) > 1 else (text or summary)
        for method, (summary, text) in entry[2].items()
    )
    return formatting.markup_description(description) if html else description


class FrenchTokenScheme(OpenApiAuthenticationExtension):
    target_class = "rest_framework.authentication.TokenAuthentication"
    name = "tokenAuth"
    match_subclasses = True
    priority = 1

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Jeton d'API (`POST /api/v1/auth/token/`) dans l'en-tête "
            "`Authorization`, précédé du mot « Token » : `Authorization: Token <jeton>`.",
        }


class FrenchSessionScheme(OpenApiAuthenticationExtension):
    target_class = "rest_framework.authentication.SessionAuthentication"
    name = "cookieAuth"
    priority = 1

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": settings.SESSION_COOKIE_NAME,
            "description": "Session du site (personne connectée dans son navigateur) ; les "
            "écritures demandent aussi le jeton CSRF (en-tête `X-CSRFToken`).",
        }
