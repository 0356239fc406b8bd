from genart.data.text_corpus import accepts, corpus


def test_corpus_is_seeded_varied_and_accepted():
    lines = corpus(2000, seed=1)
    assert lines == corpus(2000, seed=1) and lines != corpus(2000, seed=2)
    assert len(set(lines)) > 1900
    assert all(accepts(line) for line in lines)
    assert lines[0].startswith("«")


def test_the_acceptor_rejects_what_the_grammar_cannot_make():
    good = corpus(1, seed=3)[0]
    assert accepts(good)
    assert not accepts(good + " ")
    assert not accepts(good.replace("—", "-"))
    assert not accepts("«Quiet Harbour» — oil on canvas. A landscape of layered ridges, with purple light.")
    assert accepts("«Quiet Harbour» — oil on canvas. A landscape of layered ridges, with violet light.")
