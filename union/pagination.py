"""Pagination of the API's lists: `?limit=&offset=`, bounded so that no value reaches the database
as an out-of-range LIMIT or OFFSET (PostgreSQL's bigint) and bad values get a French 400."""

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination

from union.params import parse_digits

MAX_LIMIT = 200
MAX_OFFSET = 1_000_000_000


def _query_int(request, name: str) -> int | None:
    """The integer `?name=`, None when absent or empty; 400 when not a non-negative integer."""
    raw = request.query_params.get(name, "").strip()
    if not raw:
        return None
    value = parse_digits(raw, 30)
    if value is None:
        raise ValidationError({name: [f"Paramètre « {name} » invalide : un entier positif."]})
    return value


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    """LimitOffsetPagination where `limit` is at most MAX_LIMIT (a larger one is lowered to it) and
    `offset` at most MAX_OFFSET; a value that is not a non-negative integer is a 400."""

    max_limit = MAX_LIMIT
    max_offset = MAX_OFFSET

    def get_limit(self, request):
        limit = _query_int(request, self.limit_query_param)
        if limit is None or limit == 0:
            return self.default_limit
        return min(limit, self.max_limit)

    def get_offset(self, request):
        offset = _query_int(request, self.offset_query_param)
        if offset is None:
            return 0
        if offset > self.max_offset:
            raise ValidationError(
                {
                    self.offset_query_param: [
                        f"Paramètre « offset » trop grand (au plus {self.max_offset})."
                    ]
                }
            )
        return offset

    def get_schema_operation_parameters(self, view):
        limit, offset = super().get_schema_operation_parameters(view)
        limit["description"] = (
            f"Nombre de résultats par page (par défaut {self.default_limit}, "
            f"au plus {self.max_limit} : une valeur plus grande est ramenée à {self.max_limit})."
        )
        limit["schema"] |= {"minimum": 0, "maximum": self.max_limit}
        offset["description"] = "Index du premier résultat renvoyé (à partir de 0)."
        offset["schema"] |= {"minimum": 0, "maximum": self.max_offset}
        return [limit, offset]
