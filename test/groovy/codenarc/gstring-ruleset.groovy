// Only the project's rule: run over fixtures/ to prove it reports what it must.
ruleset {
    rule(io.whalekeeper.lint.GStringInShRule)
}
