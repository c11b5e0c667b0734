"""Text and name analysis shared by indexing and querying, and by every index backend.

`tokenize` gives each word its folded form, its language stem and its name key; `find_aliases`
marks places and organisations whose names differ entirely between languages; `expand_glossary`
adds the equivalents of the field's terms in the other two languages.
"""

from archive.analysis.aliases import AliasMatch, find_aliases, find_near_aliases
from archive.analysis.glossary import GlossaryExpansion, expand_glossary
from archive.analysis.keys import name_key, reading_keys, unstripped_key
from archive.analysis.normalize import fold
from archive.analysis.similarity import neighbours
from archive.analysis.stopwords import is_stopword
from archive.analysis.tokenize import Token, tokenize
from archive.analysis.vocabulary import is_dictionary_word, name_candidates

__all__ = [
    "AliasMatch",
    "GlossaryExpansion",
    "Token",
    "expand_glossary",
    "find_aliases",
    "find_near_aliases",
    "fold",
    "is_dictionary_word",
    "is_stopword",
    "name_candidates",
    "name_key",
    "neighbours",
    "reading_keys",
    "tokenize",
    "unstripped_key",
]
