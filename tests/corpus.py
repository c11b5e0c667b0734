"""A small trilingual corpus written for the search tests: a few people, places and events."""

from __future__ import annotations

from pathlib import Path

from archive.domain import Kind
from archive.pipeline import IngestRequest
from archive.service import Archive

DOCUMENTS: dict[str, tuple[str, str]] = {
    "en-mamay": (
        "report",
        (
            "Opposition politician Zhanbolat Mamay was detained in Almaty after a peaceful rally. "
            "Police held Mamay for ten days; his lawyer said the arrest was unlawful "
            "and announced an appeal. "
            "Observers noted that the court refused to hear witnesses for the defence."
        ),
    ),
    "ru-mamay": (
        "ruling",
        (
            "ПОСТАНОВЛЕНИЕ. Суд рассмотрел дело в отношении Жанболата Мамая. Мамаю назначен административный "
            "арест сроком на десять суток за участие в несанкционированном митинге. Защита Мамая обжаловала "
            "решение суда, указав на нарушения процедуры."
        ),
    ),
    "kk-mamay": (
        "report",
        (
            "Белсенді Жанболат Мамайдың ісі бойынша сот отырысы өтті. Мамайға айыппұл салынды, ал оның "
            "жақтастары соттың шешімімен келіспейтінін мәлімдеді. Құқық қорғаушылар Мамаймен кездесті."
        ),
    ),
    "en-dulat": (
        "media",
        (
            "Dulat Agadil, a civic activist from Nur-Sultan, died in police custody in February. "
            "Relatives of Dulat Agadil demanded an independent investigation into his death."
        ),
    ),
    "en-zhanbolat-agadil": (
        "media",
        (
            "Zhanbolat Agadil, the son of the late activist, was questioned by investigators. "
            "Zhanbolat said that the family would not stop seeking the truth "
            "about what happened to his father, "
            "and Agadil relatives gathered outside the police station."
        ),
    ),
    "ru-oskemen": (
        "report",
        (
            "В Усть-Каменогорске полиция задержала двух участников одиночного пикета. "
            "Активисты из Усть-Каменогорска заявили о давлении со стороны властей."
        ),
    ),
    "kk-hunger": (
        "media",
        (
            "Қамаудағы белсенді аштық жариялады. Оның адвокаты аштық жариялау туралы өтінішті "
            "тергеушіге тапсырғанын айтты."
        ),
    ),
    "ru-hunger": (
        "media",
        (
            "Заключённый активист объявил голодовку в знак протеста против условий содержания. "
            "Адвокат сообщил, что голодовка продолжается уже неделю."
        ),
    ),
    "ru-mamaev": (
        "media",
        (
            "Руслан Мамаев, житель Караганды, задержан после публикации в социальных сетях. "
            "Родственники Мамаева сообщили, что его обвиняют в распространении ложной информации."
        ),
    ),
    "en-tokayev": (
        "report",
        (
            "President Kassym-Jomart Tokayev signed amendments to the law on peaceful assemblies. "
            "Critics said Tokayev's reform kept the requirement to obtain permission from local authorities."
        ),
    ),
    "kk-tokayev": (
        "media",
        (
            "Президент Қасым-Жомарт Тоқаевтың бейбіт жиындар туралы заңға өзгерістерге қол қойғаны белгілі "
            "болды. Сарапшылар Тоқаевқа хат жолдап, заңды қайта қарауды сұрады."
        ),
    ),
}


def write_corpus(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, (_kind, text) in DOCUMENTS.items():
        path = folder / f"{name}.txt"
        path.write_text(text + "\n", "utf-8")
        paths[name] = path
    return paths


def ingest_corpus(archive: Archive, folder: Path) -> dict[str, str]:
    """Ingests the corpus; returns document ids by name."""
    ids = {}
    for name, path in write_corpus(folder).items():
        request = IngestRequest(kind=Kind(DOCUMENTS[name][0]))
        (result,) = list(archive.ingest_paths([path], request))
        assert result.status == "created", result
        ids[name] = result.id
    return ids
