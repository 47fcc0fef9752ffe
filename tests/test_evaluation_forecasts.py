import json

import pytest

from barometer.evaluation import evaluate_forecasts, forecaster_right, read_prediction_gold
from barometer.errors import InputError
from barometer.models import Actor, Forecast


def _actor(name: str, role: str | None = None) -> Actor:
    return Actor(text=name, start=0, end=len(name), name=name, country=None, role=role, kind="person", code="")


def _forecast(text: str, probability: float, forecaster: Actor | None) -> Forecast:
    return Forecast(text=text, start=0, end=len(text), cue="will", probability=probability, polarity="positive",
                    horizon=None, forecaster=forecaster, event=None)


def test_forecaster_names_agree_by_words_acronyms_and_the_documents_voice():
    assert forecaster_right(_actor("Andrej Mahecic"), "UNHCR spokesman Andrej Mahecic")
    assert forecaster_right(_actor("UNHCR"), "United Nations High Commissioner for Refugees")
    assert not forecaster_right(_actor("Ministry of Health"), "Ministry of Defence")
    assert forecaster_right(None, "Article (implicit)")
    assert forecaster_right(_actor("Jane Roe", role="MED"), "Unspecified (article author)")
    assert not forecaster_right(None, "Andrej Mahecic")


def test_forecaster_agrees_through_the_mention_or_the_affiliation():
    officials = Actor(text="Pelmarian officials", start=0, end=19, name="Pelmar", country="PLM", role="GOV",
                      kind="state", code="PLMGOV")
    assert forecaster_right(officials, "Pelmarian officials")
    director = Actor(text="Ida Varn", start=0, end=8, name="Ida Varn", country=None, role=None, kind="person",
                     code="", affiliation="Coastal Weather Office")
    assert forecaster_right(director, "Coastal Weather Office")
    assert not forecaster_right(director, "Harbour Authority")


def test_evaluate_forecasts_counts_matches_forecasters_and_probability_error(tmp_path):
    gold_file = tmp_path / "gold.json"
    gold_file.write_text(json.dumps([{
        "original_text": "The ferry line will reopen in May, the harbour master said. Ticket prices rose &amp; fell.",
        "extracted": [
            {"Event Variable": "Ferry line reopening", "Predicted Attribute": "reopen in May",
             "Predictor": "harbour master", "Modality": "80%", "Modality Evidence": "The master said it will."},
            {"Event Variable": "Toll road", "Predicted Attribute": "toll abolished",
             "Predictor": "Minister", "Modality": 50, "Modality Evidence": "Hinted."}]}]))
    (document,) = read_prediction_gold(gold_file)
    assert "&amp;" not in document.text and document.predictions[0].probability == pytest.approx(0.8)
    predicted = [[_forecast("The ferry line will reopen in May, the harbour master said.", 0.85, _actor("harbour master")),
                  _forecast("Ticket prices rose and fell.", 0.5, None)]]
    report = evaluate_forecasts([document], predicted)
    assert (report.statements.true_positives, report.statements.predicted) == (1, 2)
    assert (report.statements.found, report.statements.expected) == (1, 2)
    assert report.forecaster_accuracy == 1.0
    assert report.probability_mae == pytest.approx(0.05)


def test_read_prediction_gold_names_a_bad_file(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(InputError, match="bad.json"):
        read_prediction_gold(bad)


def test_sentence_baseline_flags_sentences_with_future_words_and_the_oracle_any_sentence():
    from barometer.evaluation import GoldForecastDocument, GoldPrediction, _stems, sentence_baseline

    text = "The ferry line will reopen in May. Ticket prices rose sharply last year. The harbour is quiet."
    ahead = GoldPrediction(_stems("ferry line reopen May"), "harbour master", 0.8)
    past = GoldPrediction(_stems("ticket prices rose sharply"), "Article", None)
    baseline, oracle = sentence_baseline([GoldForecastDocument(text, (ahead, past))])
    assert (baseline.true_positives, baseline.predicted, baseline.found) == (1, 1, 1)   # only the 'will' sentence
    assert baseline.recall == pytest.approx(0.5) and oracle.recall == pytest.approx(1.0)


@pytest.mark.model
def test_cli_eval_forecasts_prints_barometer_baseline_and_ceiling(tmp_path):
    from typer.testing import CliRunner

    from barometer.cli import app

    gold_file = tmp_path / "gold.json"
    gold_file.write_text(json.dumps([{
        "original_text": "The ferry line will reopen in May, the harbour master said. Ticket prices rose last year.",
        "extracted": [{"Event Variable": "Ferry line reopening", "Predicted Attribute": "reopen in May",
                       "Predictor": "harbour master", "Modality": "80%"}]}]))
    result = CliRunner().invoke(app, ["eval", "forecasts", "--gold", str(gold_file), "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [r["run"].split(":")[0] for r in rows] == ["barometer", "baseline", "ceiling"]
    assert rows[0]["recall"] == 1.0 and rows[0]["forecaster_accuracy"] == 1.0
