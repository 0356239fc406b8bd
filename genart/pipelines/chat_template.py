"""Chat templates are data, never code: rendered in jinja2's immutable sandbox, as transformers renders them.

A Hub repo's template may only format the messages; one that reaches for Python (attributes such as __globals__,
methods that change objects) is refused with one sentence naming the repo.
"""
from datetime import datetime

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from ..errors import GenartError


class TemplateRaised(Exception):
    """What a template's own raise_exception() raises: its message is for the user."""


def _raise_exception(message):
    raise TemplateRaised(message)


def _strftime_now(format_string):
    return datetime.now().strftime(format_string)


class TemplateSandbox(ImmutableSandboxedEnvironment):
    """jinja2's immutable sandbox, except that reaching for an unsafe attribute fails at once: jinja2 would render it
    as an empty value, and the user would never learn that the template is hostile."""

    def unsafe_undefined(self, obj, attribute):
        raise SecurityError(f"access to {attribute!r} of a {type(obj).__name__} is not allowed")


def _environment() -> TemplateSandbox:
    env = TemplateSandbox(trim_blocks=True, lstrip_blocks=True, autoescape=False)
    env.globals.update(raise_exception=_raise_exception, strftime_now=_strftime_now)
    return env


ENVIRONMENT = _environment()


def render(template: str, repo: str, messages: list[dict], **special) -> str:
    """The messages through `template`, ready for the assistant's reply; `special`: bos_token, eos_token..."""
    try:
        return ENVIRONMENT.from_string(template).render(messages=messages, add_generation_prompt=True, **special)
    except TemplateRaised as err:
        raise GenartError(f"The chat template of {repo} refused the prompt: {err}. Untick 'Use the chat template' "
                          "to send the prompt as it is.") from None
    except SecurityError:
        raise GenartError(f"The chat template of {repo} tries to run code, which genart never allows; untick 'Use the "
                          "chat template' or pick another model.") from None
    except (jinja2.TemplateError, TypeError, ValueError, AttributeError, KeyError, IndexError) as err:
        raise GenartError(f"The chat template of {repo} cannot be rendered ({type(err).__name__}: {err}); untick "
                          "'Use the chat template' or pick another model.") from None
