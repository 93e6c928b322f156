from django import template

register = template.Library()


@register.filter
def get(mapping: dict, key: str):
    """`{{ row.cells|get:column.key }}`: a dict lookup with a variable key."""
    return mapping.get(key, "") if mapping else ""
