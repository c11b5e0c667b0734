"""People, places and organisations: mentions found in texts, grouped into entities, one rule per test;
on the dev-eval documents each person is one entity holding every spelling, and the distractors are
entities of their own; archivists' decisions are kept, logged and reapplied on reindex."""

from __future__ import annotations

import csv
import io
import json
import threading
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event

import archive.entities as entities_module
from archive.analysis.entity_groups import CONFIRM, MERGE, NONE, SPLIT, Decision, apply_decisions, group
from archive.analysis.mentions import find_mentions, with_spans
from archive.analysis.tokenize import tokenize
from archive.domain import AccessLevel
from archive.entities import regroup
from archive.service import Archive, IngestRequest, InvalidChange, NotAllowed
from archive.settings import Settings
from tests.clients import token_headers
from tests.conftest import SHARED
from tests.needs import needs
from tests.test_store import sql
from web.app import create_app

DEV_EVAL = SHARED / "dev-eval"


def keys(text: str) -> list[str]:
    return [m.key for m in find_mentions(text)]


def name_key(word: str) -> str:
    return tokenize(word)[0].key


# --- mentions ---------------------------------------------------------------------------------------

def test_a_full_name_is_one_mention_whatever_its_order_script_and_case():
    first = find_mentions("Суд рассмотрел дело Сыздыкбека Сабита в Шымкенте.")
    second = find_mentions("The court fined Sabit Syzdykbek on Monday.")
    person = [m for m in first if m.kind == "person"]
    assert [m.surface for m in person] == ["Сыздыкбека Сабита"]
    assert person[0].key == next(m for m in second if m.kind == "person").key
    assert (person[0].start, person[0].end) == (20, 37)


def test_court_style_initials_give_the_surname_and_the_initial():
    assert keys("с участием Жукова Д. А., рассмотрев") == [f"i:d {name_key('Жуков')}"]
    assert keys("решение в отношении Д. А. Жукова вынесено") == [f"i:d {name_key('Жуков')}"]


def test_a_patronymic_is_left_out_of_the_key():
    with_patronymic = keys("в отношении Жукова Дмитрия Андреевича, гражданина")
    assert with_patronymic == keys("в отношении Жукова Дмитрия, гражданина")
    assert keys("с Ивановой Анной Сергеевной, гражданкой") == keys("с Ивановой Анной, гражданкой")
    assert keys("Иванова Анна Сергеевна пришла") == keys("Иванова Анна пришла")
    # an adjective in -овный is no patronymic: Верховный Суд is two words of a name, not a person's one
    assert [m.kind for m in find_mentions("Жалобу отклонил Верховный Суд.")][-1] == "organisation"


def entities_of(*texts: str) -> set[str]:
    return set(group(k for text in texts for k in keys(text)).values()) - {NONE}


def test_ordinary_capitalised_words_are_not_names():
    assert entities_of("They met at the Square. The square was empty, and Rights matter; rights do.") == set()
    assert entities_of("Бірақ әлем елдері осылай дейді.") == set()  # a capital that only starts a sentence


def test_a_word_starting_a_sentence_is_a_name_when_it_is_one_elsewhere():
    assert entities_of("Оспан пришёл. Потом суд оштрафовал Оспан.") == {f"w:{name_key('Оспан')}"}
    assert entities_of("Оспан пришёл.", "Суд оштрафовал Оспан.") == {f"w:{name_key('Оспан')}"}
    assert entities_of("Оспан пришёл.") == set()


def test_a_list_item_starts_as_a_sentence_does():
    text = "The law is unjust because it:\n\n• Introduces restrictions;\n• Retains approval;\n▪ Allows bans."
    assert entities_of(text) == set()
    assert entities_of("• Оспан задержан.\n• Суд оштрафовал Оспан.") == {f"w:{name_key('Оспан')}"}


def test_the_alias_table_gives_places_and_organisations():
    found = find_mentions("Акция прошла в Усть-Каменогорске, а затем в Oskemen.")
    assert {(m.key, m.kind) for m in found if not m.key.startswith("s:")} == {("a:@oskemen", "place")}


def test_a_models_spans_make_a_sentence_initial_word_a_name_and_add_what_the_rules_missed():
    text = "Мамай пришёл. Суд вызвал и ЕНПФ."
    rules = find_mentions(text)
    assert [m.key for m in rules] == [f"s:{name_key('Мамай')}", f"s:{name_key('Суд')}"]  # ЕНПФ: an acronym
    found = with_spans(text, rules, [(0, 5, "person"), (27, 31, "organisation")])
    assert [(m.surface, m.key, m.kind) for m in found] == [
        ("Мамай", f"w:{name_key('Мамай')}", "person"), ("Суд", f"s:{name_key('Суд')}", "name"),
        ("ЕНПФ", f"w:{name_key('ЕНПФ')}", "organisation")]


def names(text: str) -> list[tuple[str, str]]:
    """Surface and kind of each mention but sentence-initial words (`s:`: names only if elsewhere)."""
    return [(m.surface, m.kind) for m in find_mentions(text) if not m.key.startswith("s:")]


def test_an_organisations_name_joined_by_of_for_and_the_is_one_name_not_its_capitalised_words():
    text = "It was prepared by the International Bureau for Human Rights and\nRule of Law in the capital."
    found = find_mentions(text)
    assert [(m.surface, m.kind) for m in found] == [
        ("International Bureau for Human Rights and\nRule of Law", "organisation")]  # over a line break too
    words = "International Bureau for Human Rights and Rule of Law"
    assert found[0].key == "w:" + "-".join(name_key(w) for w in words.split(" "))
    assert names("A letter came from the Office of the High Commissioner.") == [
        ("Office of the High Commissioner", "organisation")]
    assert names("Письмо направил Комитет по Делам Религий вчера.") == [
        ("Комитет по Делам Религий", "organisation")]


def test_ordinary_words_of_the_text_do_not_cut_a_name_into_lone_words():
    text = ("Staff of the Bureau of Human Rights and Rule of Law spoke about human rights and the law "
            "with the Minister of Information and Social Development Dauren Abayev, an official in social "
            "development.")
    assert names(text) == [("Bureau of Human Rights and Rule of Law", "organisation"),
                           ("Minister of Information and Social Development", "name"),
                           ("Dauren Abayev", "person")]


def test_a_latin_acronym_before_a_capitalised_word_is_one_name_but_not_before_a_person():
    assert names("It was prepared for the CIVICUS Monitor by the team.") == [("CIVICUS Monitor", "name")]
    assert names("A statement by IPHR Yevgeniy Zhovtis came.") == [("Yevgeniy Zhovtis", "person")]
    # In Russian an acronym before a name is the office and then the person
    found = names("Вчера председатель ЦИК Масимов выступил.")
    assert [surface for surface, _ in found if "Масимов" in surface] == ["Масимов"]


def test_people_joined_by_and_or_followed_by_of_stay_people():
    assert keys("The court heard Ivanov and Petrov on Monday.") == [
        f"w:{name_key('Ivanov')}", f"w:{name_key('Petrov')}"]
    assert names("The court fined Zhanbolat Mamay and Rule of Law activists.") == [
        ("Zhanbolat Mamay", "person"), ("Rule of Law", "name")]
    assert names("Yesterday Yerlan Gazymzhanov and Amanzhol Mukhamedyarov were disbarred.") == [
        ("Yerlan Gazymzhanov", "person"), ("Amanzhol Mukhamedyarov", "person")]
    assert ("Zhanbolat Mamay", "person") in names("He met Zhanbolat Mamay of the party yesterday.")
    assert names("A letter from the Ministry of Justice and Ivanov came.") == [
        ("Ministry of Justice", "organisation"), ("Ivanov", "name")]
    assert names("Суд вызвал Иванова и Петрова.") == [("Иванова", "name"), ("Петрова", "name")]
    assert names("Сотқа Мамай және Ахметов келді.") == [("Мамай", "name"), ("Ахметов", "name")]
    assert names("Суд вызвал Фаризу Оспан и Сабита Сыздыкбека по делу.") == [
        ("Фаризу Оспан", "person"), ("Сабита Сыздыкбека", "person")]



def test_a_name_ended_or_in_russian_begun_by_a_head_noun_is_an_organisation_or_a_place():
    assert names("A statement by the Norwegian Helsinki Committee came.") == [
        ("Norwegian Helsinki Committee", "organisation")]
    assert names("Police blocked Independence Avenue and Nazarbayev Avenue.") == [
        ("Independence Avenue", "place"), ("Nazarbayev Avenue", "place")]
    assert names("Жалобу отклонил Верховный Суд вчера.") == [("Верховный Суд", "organisation")]
    assert names("Вчера Партия Байтак провела съезд.") == [("Партия Байтак", "organisation")]
    assert names("Митинг прошёл на Проспекте Абая вчера.") == [("Проспекте Абая", "place")]
    assert names("Шағымды Жоғарғы Соты қабылдамады.") == [("Жоғарғы Соты", "organisation")]
    assert names("Вчера Районный Суд вынес приговор.") == [("Районный Суд", "organisation")]  # not a district
    assert names("Вчера Законом Республики запретили митинги.") == [("Законом Республики", "name")]
    assert names("He wrote to the Republic of Moldova and the Rule of Law.") == [
        ("Republic of Moldova", "place"), ("Rule of Law", "name")]


def test_a_person_whose_name_begins_like_a_head_noun_stays_a_person():
    assert names("Вчера пришли Сотников Иван, Кеңесбаев Ерлан и Озеров Павел.") == [
        ("Сотников Иван", "person"), ("Кеңесбаев Ерлан", "person"), ("Озеров Павел", "person")]
    assert names("Вчера Сенатор Иванов и Мажилисмен Петров выступили.") == [
        ("Сенатор Иванов", "person"), ("Мажилисмен Петров", "person")]


def test_a_word_of_an_organisations_name_does_not_join_it_as_a_person():
    texts = ("A statement by the Norwegian Helsinki Committee came.", "Later Helsinki hosted the talks.")
    assert grouped(*texts)[f"w:{name_key('Helsinki')}"] == f"w:{name_key('Helsinki')}"


def test_the_head_noun_table_is_a_documented_data_file():
    from importlib import resources

    from archive.analysis.mentions import NAME, ORGANISATION, PLACE
    from archive.analysis.name_heads import POSITIONS

    text = resources.files("archive.analysis").joinpath("data/name_heads.tsv").read_text(encoding="utf-8")
    assert text.startswith("#")
    rows = [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]
    assert rows and all(
        len(row) == 3 and row[0] in (ORGANISATION, PLACE, NAME) and row[1] in POSITIONS for row in rows)
    forms = [form for row in rows for form in row[2].split("|")]
    assert all(form and form == form.lower() and form.strip() == form for form in forms)
    assert len(forms) == len(set(forms)), "a form is listed twice"

# --- grouping ---------------------------------------------------------------------------------------

def grouped(*texts: str) -> dict[str, str]:
    return group(k for text in texts for k in keys(text))


def test_a_lone_surname_joins_the_one_person_of_that_surname():
    assert len(entities_of("Суд оштрафовал Фаризу Оспан.", "Позже пришла и Оспан.")) == 1


def test_a_lone_surname_of_two_people_stays_apart_from_both():
    assert len(entities_of("Пришли Фариза Оспан и Ерлан Оспан.", "Позже пришла и Оспан.")) == 3


def test_zhukov_and_zhukeev_are_separate_entities():
    g = grouped("Вчера Тулеген Жукеев вышел.", "Вчера Дмитрий Жуков ждал.", "Суд вызвал Жукеева.",
                "Суд вызвал Жукова.")
    zhukeev = g[f"w:{name_key('Жукеева')}"]
    zhukov = g[f"w:{name_key('Жукова')}"]
    assert zhukeev != zhukov
    assert zhukeev == g[keys("Вчера Тулеген Жукеев вышел.")[1]] != g[keys("Вчера Дмитрий Жуков ждал.")[1]]


def test_ospanov_and_ospan_are_separate_entities():
    g = grouped("Суд оштрафовал Фаризу Оспан.", "Суд оштрафовал Ерлана Оспанова.", "Позже пришла Оспан.",
                "Позже пришёл Оспанов.")
    assert g[f"w:{name_key('Оспан')}"] != g[f"w:{name_key('Оспанов')}"]


def test_kazakh_and_russian_spellings_of_one_full_name_are_one_person():
    assert len(entities_of("Бүгін Айболат Бөкенов келді.", "Пришёл Айболат Букенов.")) == 1


def test_an_initial_picks_the_full_name_it_fits():
    g = grouped("Пришли Фариза Оспан и Ерлан Оспан.", "Вызвана Оспан Ф. в суд.")
    assert g[keys("Вызвана Оспан Ф. в суд.")[0]] == g[keys("Пришли Фариза Оспан")[0]]


def test_decisions_merge_split_and_confirm():
    g = grouped("Суд оштрафовал Фаризу Оспан.", "Сегодня Дмитрий Жуков ждал.")
    g = {mention: entity for mention, entity in g.items() if entity != NONE}
    fariza, zhukov = sorted(set(g.values()))
    merged, _ = apply_decisions(g, [Decision(MERGE, fariza, other=zhukov)])
    assert set(merged.values()) == {fariza}
    spelling = next(k for k, e in g.items() if e == zhukov)
    split, confirmed = apply_decisions(g, [Decision(MERGE, fariza, other=zhukov), Decision(SPLIT, fariza,
                                           spelling=spelling), Decision(CONFIRM, fariza)])
    assert split[spelling] != fariza and confirmed == {fariza}


# --- the archive ------------------------------------------------------------------------------------

def dev_eval_people() -> dict[str, set[str]]:
    manifest = json.loads((DEV_EVAL / "manifest.json").read_text("utf-8"))["documents"]
    readme = (DEV_EVAL / "README.md").read_text("utf-8")
    people_text = readme.split("People:", 1)[1].split("Organisations:", 1)[0]
    people = [name.strip(" .\n") for name in people_text.split(",")]
    distractors = ["zhukov", "ospanov", "syzdykov"]
    return {slug: {Path(d["file"]).name for d in manifest if slug in d["entities"]}
            for slug in people + distractors}


@needs(DEV_EVAL.exists(), "../shared/dev-eval beside the repository")
def test_on_dev_eval_each_person_is_one_entity_and_distractors_are_apart(archive: Archive):
    results = list(archive.ingest_paths([DEV_EVAL / "docs"], IngestRequest()))
    names = {r.id: Path(r.file).name for r in results}
    found = {}
    for slug, files in dev_eval_people().items():
        candidates = archive.entities(slug.capitalize())
        assert candidates, slug
        entity = archive.entity(candidates[0]["id"])
        assert entity is not None and entity.kind == "person", slug
        assert {names[d.id] for d in entity.documents} >= files, slug
        found[slug] = entity.id
    assert found["zhukov"] != found["zhukeev"]
    assert found["ospanov"] != found["ospan"]
    assert found["syzdykov"] != found["syzdykbek"]
    assert len(set(found.values())) == len(found)


def test_a_later_document_moves_a_lone_surname_when_it_makes_it_ambiguous(archive: Archive):
    """Regrouping after each write touches only the mentions whose entity changed: these must move."""
    def upload(name: str, text: str) -> str:
        result = archive.ingest_upload(io.BytesIO(text.encode()), name, IngestRequest())
        assert result.id is not None
        return result.id

    first = upload("a.txt", "Суд оштрафовал Фаризу Оспан. Позже Оспан обжаловала решение.")
    fariza = archive.entities("Фариза Оспан")[0]["id"]
    assert {e["id"] for e in archive.document_entities(archive.document(first))} == {fariza}
    upload("b.txt", "Вчера Ерлан Оспан вышел на пикет.")
    upload("c.txt", "Позже пришла и Оспан.")
    lone = {e["id"] for e in archive.document_entities(archive.document(first))} - {fariza}
    assert len(lone) == 1, "the lone surname is an entity of its own once two people bear it"
    assert archive.entity(fariza).documents and lone.isdisjoint({fariza})


def test_an_entity_is_labelled_without_an_english_possessive(archive: Archive):
    text = ("Camps in China's Xinjiang region. China’s officials did not answer. Critics said Tokayev's "
            "reform kept the permit rule.")
    archive.ingest_upload(io.BytesIO(text.encode()), "a.txt", IngestRequest())
    assert [e["label"] for e in archive.entities("China")] == ["China"]
    assert [e["label"] for e in archive.entities("Tokayev")] == ["Tokayev"]


def test_a_name_repeated_in_a_document_is_one_row_that_counts_every_occurrence(archive: Archive):
    text = ("Суд оштрафовал Фаризу Оспан. Фаризу Оспан задержали. Адвокат Фаризы Оспан обжаловал. "
            "Фаризу Оспан освободили.")
    result = archive.ingest_upload(io.BytesIO(text.encode()), "a.txt", IngestRequest())
    entity = archive.entity(archive.entities("Фариза Оспан")[0]["id"])
    assert entity is not None and entity.documents[0].mentions == 4
    counts = {s["surface"]: s["count"] for scripts in entity.spellings.values()
              for spellings in scripts.values() for s in spellings}
    assert counts == {"Фаризу Оспан": 3, "Фаризы Оспан": 1}
    rows = sql(archive.settings.sqlalchemy_url, "SELECT surface, start, occurrences FROM entity_mentions "
               "WHERE document_id = :id AND kind = 'person' ORDER BY start", id=result.id)
    assert rows == [("Фаризу Оспан", text.index("Фаризу"), 3), ("Фаризы Оспан", text.index("Фаризы"), 1)]


def test_a_regrouping_that_fails_is_asked_for_again(archive: Archive, monkeypatch):
    archive.ingest_upload(io.BytesIO("Суд оштрафовал Фаризу Оспан.".encode()), "a.txt", IngestRequest())
    entities = archive.store.entities
    entities.changed = True

    def broken(*_args: object) -> None:
        raise OSError("disk I/O error")

    monkeypatch.setattr(entities, "replace_entities", broken)
    with pytest.raises(OSError):
        regroup(archive.store)
    assert entities.changed, "the grouping was not done: the next write or round must try again"


def test_a_regrouping_is_worked_out_outside_the_write_lock_and_written_under_it(tmp_path, monkeypatch):
    archive = Archive(Settings(home=tmp_path / "home"))
    try:
        archive.ingest_upload(io.BytesIO("Суд оштрафовал Фаризу Оспан.".encode()), "a.txt", IngestRequest())
        lock = threading.Lock()
        held_while = {}
        grouping, replacing = entities_module.group, archive.store.entities.replace_entities

        def grouped(*args):
            held_while["grouping"] = lock.locked()
            return grouping(*args)

        def replaced(*args):
            held_while["writing"] = lock.locked()
            return replacing(*args)

        monkeypatch.setattr(entities_module, "group", grouped)
        monkeypatch.setattr(archive.store.entities, "replace_entities", replaced)
        regroup(archive.store, lock)
        assert held_while == {"grouping": False, "writing": True}
        assert [e["label"] for e in archive.entities("Оспан")] == ["Фаризу Оспан"]
    finally:
        archive.close()


def test_a_write_while_a_regrouping_is_worked_out_has_it_worked_out_again(tmp_path, monkeypatch):
    """Else the grouping read before an archivist's decision would be written after it, and undo it."""
    archive = Archive(Settings(home=tmp_path / "home"))
    try:
        for n, text in enumerate(["The court fined Fariza Ospan.", "Later Dmitry Zhukov came."]):
            archive.ingest_upload(io.BytesIO(text.encode()), f"{n}.txt", IngestRequest())
        fariza, zhukov = (archive.entities(name)[0]["id"] for name in ("Ospan", "Zhukov"))
        applying = entities_module.apply_decisions
        calls = []

        def applied(grouped, decisions):
            calls.append(len(decisions))
            answer = applying(grouped, decisions)
            if len(calls) == 1:  # another thread decides once this grouping has read the decisions
                archive.decide_entity(fariza, MERGE, other=zhukov)
            return answer

        monkeypatch.setattr(entities_module, "apply_decisions", applied)
        archive.store.entities.changed = True
        regroup(archive.store, threading.RLock())
        assert calls == [0, 1, 1]  # before the decision, by the decision, and again under the lock
        assert len(archive.entities("Ospan")) == 1
        assert archive.entities("Ospan") == archive.entities("Zhukov")  # the merge holds
    finally:
        archive.close()


def test_decisions_are_logged_and_survive_reindex(archive: Archive):
    for n, text in enumerate(["The court fined Fariza Ospan.", "Later Dmitry Zhukov came."]):
        archive.ingest_upload(io.BytesIO(text.encode()), f"{n}.txt", IngestRequest())
    fariza = archive.entities("Ospan")[0]["id"]
    zhukov = archive.entities("Zhukov")[0]["id"]
    with pytest.raises(NotAllowed):
        from archive.accounts import Principal
        archive.decide_entity(fariza, MERGE, Principal("someone", None), other=zhukov)
    with pytest.raises(InvalidChange):
        archive.decide_entity(fariza, MERGE, other=fariza)
    assert archive.decide_entity(fariza, MERGE, other=zhukov) == fariza
    assert archive.entity(zhukov) is None and archive.entity(fariza).documents_count == 2
    entries = archive.store.custody_by_action("entity")
    assert [e.details["decision"] for e in entries] == ["merge"]
    archive.reindex()
    assert archive.entities("Zhukov")[0]["id"] == fariza
    time.sleep(1.1)  # the embedded index names a rebuild by the second: two in one second would collide
    spellings = archive.entity(fariza).spellings
    spelling = next(row["key"] for langs in spellings.values() for rows in langs.values() for row in rows
                    if "Zhukov" in row["surface"])
    archive.decide_entity(fariza, SPLIT, spelling=spelling)
    archive.reindex()
    assert archive.entities("Zhukov")[0]["id"] != fariza


def test_api_pages_and_exports(settings: Settings):
    app = create_app(settings)
    archive = app.state.archive
    for n, text in enumerate(["Суд оштрафовал Фаризу Оспан в Шымкенте.", "Fariza Ospan spoke in Shymkent."]):
        archive.ingest_upload(io.BytesIO(text.encode()), f"{n}.txt", IngestRequest())
    archivist = token_headers(app, "archivist")
    with TestClient(app) as client:
        found = client.get("/api/entities", params={"q": "Оспан"}).json()["entities"]
        assert [e["documents"] for e in found] == [2]
        entity = client.get(f"/api/entities/{found[0]['id']}").json()
        assert set(entity["spellings"]) == {"Cyrillic", "Latin"}
        assert [e["kind"] for e in entity["cooccurring"]] == ["place"]
        assert client.get("/api/entities/0000000000000000").status_code == 404
        page = client.get(f"/e/{found[0]['id']}")
        assert page.status_code == 200 and "Фаризу Оспан" in page.text
        document_page = client.get(f"/d/{entity['documents'][0]['id']}").text
        assert f"/e/{found[0]['id']}" in document_page
        decision = {"action": "confirm"}
        assert client.post(f"/api/entities/{found[0]['id']}/decisions", json=decision).status_code == 401
        bad_split = {"action": "split", "spelling": "x"}
        assert client.post(f"/api/entities/{found[0]['id']}/decisions", json=bad_split,
                           headers=archivist).status_code == 422
        assert client.post(f"/api/entities/{found[0]['id']}/decisions", json=decision,
                           headers=archivist).json() == {"id": found[0]["id"]}
        rows = list(csv.DictReader(io.StringIO(client.get("/api/entities/export").text)))
        assert {row["kind"] for row in rows} == {"person", "place"}
        lines = client.get("/api/entities/export", params={"format": "ftm"}).text.splitlines()
        assert {json.loads(line)["schema"] for line in lines} == {"Person", "Address", "Document", "Mention"}


def test_the_command_line_finds_and_exports_entities(tmp_path: Path, capsys):
    from archive.cli import main

    source = tmp_path / "report.txt"
    source.write_text("The court in Shymkent fined Fariza Ospan.", encoding="utf-8")
    home = ["--home", str(tmp_path / "home")]
    assert main([*home, "ingest", str(source)]) == 0
    capsys.readouterr()
    assert main([*home, "entities", "Оспан"]) == 0
    assert "Fariza Ospan" in capsys.readouterr().out
    assert main([*home, "entities"]) == 2
    assert main([*home, "entities", "--export", "ftm", "-o", str(tmp_path / "e.json")]) == 0
    schemata = {json.loads(line)["schema"] for line in (tmp_path / "e.json").read_text("utf-8").splitlines()}
    assert schemata == {"Person", "Address", "Document", "Mention"}


def test_the_followthemoney_export_is_valid_for_the_followthemoney_model(archive: Archive):
    from followthemoney import model

    texts = ["Суд в Шымкенте оштрафовал Фаризу Оспан.", "Fariza Ospan and Dmitry Zhukov spoke in Shymkent."]
    for n, text in enumerate(texts):
        archive.ingest_upload(io.BytesIO(text.encode()), f"{n}.txt", IngestRequest())
    from archive.service import entities_ftm

    entities = [json.loads(line) for line in entities_ftm(archive.entity_export()).splitlines()]
    ids = {entity["id"] for entity in entities}
    assert len(ids) == len(entities)
    for entity in entities:
        schema = model.get(entity["schema"])
        assert schema is not None and not schema.abstract, entity
        assert set(entity["properties"]) <= set(schema.properties), entity
        assert set(schema.required) <= set(entity["properties"]), entity
        schema.validate(entity)  # raises InvalidData for a value its type refuses
        for name, values in entity["properties"].items():
            if schema.properties[name].type.name == "entity":
                assert set(values) <= ids, (entity, name)  # every reference is to an exported entity
        assert model.get_proxy(entity).to_dict()["properties"] == entity["properties"]
    assert {e["schema"] for e in entities} == {"Person", "Address", "Document", "Mention"}


# --- search knows entities --------------------------------------------------------------------------

MAMAY = {
    "mamay-en.txt": "Journalist Zhanbolat Mamay was detained in Almaty. Zhanbolat Mamay denies it.",
    "mamay-ru.txt": "Журналиста Жанболата Мамая задержали в Алматы.",
    "secret.txt": "Zhanbolat Mamay met Aigerim Tleuzhan in secret.",
}


def ingest_mamay(archive: Archive) -> None:
    for name, text in MAMAY.items():
        access = AccessLevel.RESTRICTED if name == "secret.txt" else AccessLevel.PUBLIC
        archive.ingest_upload(io.BytesIO(text.encode()), name, IngestRequest(access=access))


def test_typing_suggests_entities_by_name_key_counting_only_what_the_reader_may_see(archive: Archive):
    ingest_mamay(archive)
    anonymous = archive.accounts.anonymous()
    for typed in ("Мамаю", "Мама", "zhanbolat mam", "Mamai"):
        found = archive.entities(typed, anonymous, 5, still_typing=True)
        assert [(e["label"], e["documents"]) for e in found][:1] == [("Zhanbolat Mamay", 2)], typed
    assert archive.entities("Мамаю", limit=5, still_typing=True)[0]["documents"] == 3  # the archive sees all
    assert archive.entities("Мама", anonymous) == []  # a finished word is matched whole
    assert archive.entities("Tleuzh", anonymous, still_typing=True) == []  # only in the restricted document
    assert archive.entities("Tleuzh", still_typing=True)[0]["label"] == "Aigerim Tleuzhan"


def test_a_hit_names_its_entities_in_one_look_up_for_the_page(archive: Archive):
    ingest_mamay(archive)
    statements: list[str] = []
    engine = archive.store.entities._engine

    def seen(conn: object, cursor: object, statement: str, *args: object) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", seen)
    try:
        result = archive.search("Almaty")
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert sum("entity_mentions" in s for s in statements) == 1
    by_file = {hit.original_name: hit.entities for hit in result.hits}
    assert [(e["label"], e["kind"]) for e in by_file["mamay-en.txt"]] == [
        ("Zhanbolat Mamay", "person"), ("Almaty", "place")]  # mentioned twice, then once
    mamay = by_file["mamay-en.txt"][0]
    assert by_file["mamay-ru.txt"] == [by_file["mamay-en.txt"][1], mamay]  # once each: the rarer first
    assert mamay["permalink"] == f"/e/{mamay['id']}"
    assert all(hit.entities == [] for hit in archive.search("Almaty", named=False).hits)


def test_suggestions_results_and_hits_name_entities_in_the_api_and_pages(settings: Settings):
    app = create_app(settings)
    ingest_mamay(app.state.archive)
    with TestClient(app) as client:
        found = client.get("/api/entities", params={"q": "Мама", "prefix": "true", "limit": 1}).json()
        assert [(e["label"], e["documents"]) for e in found["entities"]] == [("Zhanbolat Mamay", 2)]
        mamay = found["entities"][0]["id"]
        schema = client.get("/openapi.json").json()["components"]["schemas"]
        assert {"EntityList", "EntitySummary", "EntityRef"} <= set(schema)
        assert schema["Hit"]["properties"]["entities"]["items"] == {"$ref": "#/components/schemas/EntityRef"}
        hits = client.get("/api/search", params={"q": "Мамаю"}).json()["hits"]
        assert len(hits) == 2 and all(mamay in [e["id"] for e in hit["entities"]] for hit in hits)
        suggestions = client.get("/suggest", params={"q": "Мамаю"}, headers={"HX-Request": "true"}).text
        assert f'href="/e/{mamay}"' in suggestions and "2 documents" in suggestions
        assert "Tleuzhan" not in client.get("/suggest", params={"q": "Tleuzhan"}).text
        assert client.get("/suggest", params={"q": "M"}).text.strip() == ""
        assert client.get("/suggest", params={"q": "Мамай " * 300}).status_code == 200  # the box takes 2,000
        page = client.get("/search", params={"q": "Мамаю"}).text  # no JavaScript: the whole page
        line = page.split('class="result-entities"', 1)[1].split("</p>", 1)[0]
        assert f'href="/e/{mamay}"' in line and "Zhanbolat Mamay" in line
        assert page.count(f'href="/e/{mamay}"') == 3  # the line and both hits
