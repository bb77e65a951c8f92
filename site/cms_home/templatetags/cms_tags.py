from decimal import Decimal, InvalidOperation

from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
def yuan(value) -> str:
    """1234.5 → "1,234.50 元": exact decimals, grouped, two places."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    # The unit is part of the number's local format, like a currency sign: 元 in
    # Chinese, "yuan" otherwise.
    unit = "元" if (get_language() or "").startswith("zh") else "yuan"
    return f"{amount:,.2f} {unit}"
