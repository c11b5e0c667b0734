"""Language detection on real labelled sentences, the dev-eval documents and hand-made hard cases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from archive.domain import MIXED, UNKNOWN, LanguageSpan
from ingest.extract import extract
from ingest.langid import detect_document, detect_language, lingua_language
from tests.needs import needs

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
LANGID = SHARED / "real-eval" / "langid" / "texts.jsonl"
DEV_EVAL = SHARED / "dev-eval"

RU_PARAGRAPHS = [
    "Специализированный административный суд рассмотрел дело об участии в несанкционированном митинге.",
    "По словам адвоката, его подзащитный не получал уведомления о заседании и узнал о нём из новостей.",
]
KK_PARAGRAPHS = [
    "Мамандандырылған әкімшілік сот рұқсат етілмеген жиынға қатысу туралы істі қарады.",
    "Адвокаттың айтуынша, оның қорғауындағы адам сот отырысы туралы хабарламаны алмаған.",
]


def _dev_eval_documents() -> list[dict]:
    manifest = DEV_EVAL / "manifest.json"
    return json.loads(manifest.read_text(encoding="utf-8"))["documents"] if manifest.exists() else []


@needs(LANGID.exists(), f"the real-eval langid set at {LANGID}")
def test_real_eval_accuracy() -> None:
    rows = [json.loads(line) for line in LANGID.read_text(encoding="utf-8").splitlines() if line.strip()]
    by_language: dict[str, list[bool]] = {}
    for row in rows:
        by_language.setdefault(row["language"], []).append(detect_language(row["text"]) == row["language"])
    overall = sum(sum(v) for v in by_language.values()) / len(rows)
    assert overall >= 0.98
    for language, results in by_language.items():
        assert sum(results) / len(results) >= 0.98, language


@needs(DEV_EVAL.exists(), f"the shared dev-eval set at {DEV_EVAL}")
@pytest.mark.parametrize("document", _dev_eval_documents(), ids=lambda d: Path(d["file"]).name)
def test_dev_eval_document_language(document: dict) -> None:
    text = extract(DEV_EVAL / document["file"]).text
    language, spans = detect_document(text)
    assert language == document["language"]
    assert spans and all(text[s.start : s.end].strip() == text[s.start : s.end] for s in spans)


def test_mixed_document_and_spans() -> None:
    paragraphs = ["Сот шешімі / Решение суда", *KK_PARAGRAPHS, *RU_PARAGRAPHS]
    text = "\n\n".join(paragraphs)
    language, spans = detect_document(text)
    assert language == MIXED
    assert [text[s.start : s.end] for s in spans] == paragraphs
    assert [s.language for s in spans] == ["kk", "kk", "kk", "ru", "ru"]
    assert all(isinstance(s, LanguageSpan) for s in spans)


def test_kazakh_report_with_russian_quote_is_kazakh() -> None:
    quote = "«Задержание было проведено в соответствии с законом», — сообщили в полиции."
    text = "\n".join([*KK_PARAGRAPHS, KK_PARAGRAPHS[0], quote, KK_PARAGRAPHS[1], KK_PARAGRAPHS[0]])
    language, spans = detect_document(text)
    assert language == "kk"
    assert [s.language for s in spans if text[s.start : s.end] == quote] == ["ru"]


def test_names_do_not_flip_the_language() -> None:
    assert (
        detect_language("Суд оштрафовал Сыздықбека Нұрлана и Жұмағалиева Мұратбая за участие в пикете.")
        == "ru"
    )
    assert detect_language("Police detained Жанболат Мамай and Сыздықбек near the akimat on Tuesday.") == "en"
    assert (
        detect_language("Представители Human Rights Watch и Amnesty International осудили задержания.")
        == "ru"
    )
    assert detect_language("Oyan Qazaqstan қозғалысының белсенділері сотқа шақырылды.") == "kk"


def test_kazakh_without_its_letters() -> None:
    text = (
        "Жанаозенде белгисиз адамдар жана партиянын жактаушысы Муратбай Жумагалиевтин колигин ортеп жиберди. "
        "Белсенди осы окиганын салдарынан Алматыдагы курылтай съезине баратын пойызга улгермей калды."
    )
    if lingua_language(text) != "kk":
        pytest.skip("lingua itself does not recognise this text as Kazakh")
    assert detect_language(text) == "kk"
    # a majority of the paragraphs without Kazakh letters, a minority with them: still Kazakh
    document = "\n".join([text, text.replace("Белсенди", "Белсенді"), KK_PARAGRAPHS[0]])
    assert detect_document(document)[0] == "kk"


def test_headings_follow_the_document() -> None:
    text = "ПОСТАНОВЛЕНИЕ\n\n" + "\n\n".join(KK_PARAGRAPHS * 3)
    language, spans = detect_document(text)
    assert language == "kk"
    assert {s.language for s in spans} == {"kk"}


@pytest.mark.parametrize("text", ["", "   ", "2020-02-22 №12", "—"])
def test_no_letters_is_unknown(text: str) -> None:
    assert detect_language(text) == UNKNOWN
    assert detect_document(text)[0] == UNKNOWN


def test_kazakh_in_the_latin_alphabet() -> None:
    court = "Sot belsendıge äkımşılık aiyppūl saldy: ol beibıt jiynğa qatysqany üşın jauapqa tartyldy."
    assert detect_language(court) == "kk"
    assert detect_language("Qazaqstan azamattary būl turaly aqparatty äleumettık jelıde taratty.") == "kk"
    assert detect_document(f"{court}\n{court}")[0] == "kk"


def test_english_with_kazakh_latin_names_and_a_quoted_word_stays_english() -> None:
    names = "Toqaev met Qasym-Jomart and the Qostanay akim to discuss the qurultai reform."
    assert detect_language(names) == "en"
    assert detect_language("The court fined the activist for a peaceful protest in Almaty on Friday.") == "en"
    assert detect_language("Protesters chanted 'Shal ket' and carried banners in the quiet square.") == "en"
