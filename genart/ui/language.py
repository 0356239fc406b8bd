"""The page in the visitor's language. Its words go to the browser as gr.I18n keys and are translated there (the
browser's language first; Gradio's Settings panel switches it). What the server writes for a request, a refusal or
a notice, is translated into the language the request's headers ask for (genart.locale.language_of): the page
sends the language it shows with every request, and an API call is answered in English unless its Accept-Language
asks for Chinese."""
import gradio as gr
from gradio.i18n import I18nData

from ..locale import CHOSEN_HEADER, LANGUAGES, language_of, say, speaking, words

# Tells the server which language the page shows (Gradio sets <html lang> to it): a header on the page's own
# requests, which are the ones that run events.
LANGUAGE_SCRIPT = """<script>
(() => {
  const send = window.fetch;
  window.fetch = (input, init = {}) => {
    const url = new URL(input instanceof Request ? input.url : String(input), location.href);
    if (url.origin !== location.origin) return send(input, init);
    const headers = new Headers(init.headers || (input instanceof Request ? input.headers : undefined));
    headers.set("%s", document.documentElement.lang || navigator.language || "en");
    return send(input, {...init, headers});
  };
})();
</script>""" % CHOSEN_HEADER

_filled: dict[str, dict[str, str]] = {}  # a template's text with its fields filled -> that text in each language


def tr(english: str, **fields) -> I18nData:
    """A string the page shows, translated in the browser: `english` as the catalogue keys it (genart.locale); with
    fields, a template whose fields are filled in each language (a field's value is a word of the catalogue, or
    shown as it is)."""
    if not fields:
        return I18nData(english)
    text = english.format(**fields)
    for language in LANGUAGES[1:]:
        table = words(language)
        _filled.setdefault(text, {})[language] = table[english].format(
            **{k: table.get(str(v), v) for k, v in fields.items()})
    return I18nData(text)


def english(shown) -> str | None:
    """What a component shows (a label: text, or a key the browser translates), in English."""
    return shown.key if isinstance(shown, I18nData) else shown


def translated_table(headers: list[str], rows: list[list]) -> dict:
    """A Dataframe's value with its column names in the request's language (Gradio does not translate a table's
    headers in the browser)."""
    return {"headers": [say(h) for h in headers], "data": rows}


def page_words() -> gr.I18n:
    """Every word of the page in every language but English (the keys are the English)."""
    return gr.I18n(**{language: words(language) | {text: done[language] for text, done in _filled.items()}
                      for language in LANGUAGES[1:]})


def example_headers_in_language(demo: gr.Blocks) -> None:
    """An Examples table names its columns after its components' labels, which the browser does not translate there:
    they start in English and come in the visitor's language when the page loads. Call inside the Blocks."""
    tables = [b for b in demo.blocks.values() if isinstance(b, gr.Dataset) and b.headers]
    for dataset in tables:
        dataset.headers = [english(h) for h in dataset.headers]

    def translated():
        return [gr.update(headers=[say(h) for h in dataset.headers]) for dataset in tables]

    demo.load(translated, None, tables, api_name=False, queue=False)


def answer_in_request_language(demo: gr.Blocks) -> None:
    """Each event runs in the language its request asks for: `say` inside it answers in that language, and a
    refusal (gr.Error) leaving it is translated."""
    process_api = demo.process_api

    async def process_api_in_language(*args, **kwargs):
        request = kwargs.get("request")
        request = request[0] if isinstance(request, list) and request else request
        with speaking(language_of(getattr(request, "headers", None) or {})):
            try:
                return await process_api(*args, **kwargs)
            except gr.Error as err:
                err.message, err.title = say(err.message), say(err.title)
                raise

    demo.process_api = process_api_in_language
