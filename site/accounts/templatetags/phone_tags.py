"""Showing phone numbers in templates: ``{% load phone_tags %}``."""

from django import template

from accounts import phones

register = template.Library()


@register.filter
def display_phone(value: str | None) -> str:
    """`+8613800138000` → `138 0013 8000`."""
    return phones.display_phone(value or "")


@register.filter
def mask_phone(value: str | None) -> str:
    """`+8613800138000` → `138****8000`, where others can see the page."""
    return phones.mask_phone(value or "")
