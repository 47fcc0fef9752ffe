"""The runner: the order of results and failures when a stage breaks."""


def test_pipeline_a_document_that_breaks_the_parser_fails_alone(tmp_path):
    """nlp.pipe fails for the whole batch when one text breaks a component; the runner parses the batch again one
    by one, so only that document becomes a 'parse' failure and the others go on."""
    import spacy
    from spacy.language import Language

    from barometer.models import Failure, Source
    from barometer.pipeline import run
    from barometer.settings import Settings

    @Language.component("test_breaks_on_marker")
    def breaks_on_marker(doc):
        if "UNPARSABLE" in doc.text:
            raise ValueError("the marker text cannot be parsed")
        return doc

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("test_breaks_on_marker")
    nlp.to_disk(tmp_path / "model")
    settings = Settings().with_overrides("test", {"spacy_model": str(tmp_path / "model")})
    sources = [Source(origin=name, content=text, kind="plain", date="2025-01-01")
               for name, text in (("first", "Norway met Iceland."), ("bad", "An UNPARSABLE text."),
                                  ("last", "Chile met Peru."))]
    results = list(run(sources, settings))
    assert [getattr(r, "origin", None) or r.article.origin for r in results] == ["first", "bad", "last"]
    failure = results[1]
    assert isinstance(failure, Failure) and failure.stage == "parse"
    assert "the marker text cannot be parsed" in failure.reason
    assert not any(isinstance(r, Failure) and r.stage == "parse" for r in (results[0], results[2]))
