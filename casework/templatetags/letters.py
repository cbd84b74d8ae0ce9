"""``{% load letters %}{{ letter|letter_filename }}``: the one file name of a letter."""

from django import template

from casework.letters import letter_filename as filename

register = template.Library()


@register.filter
def letter_filename(letter):
    return filename(letter)
