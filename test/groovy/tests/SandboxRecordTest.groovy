package io.whalekeeper.test

import io.whalekeeper.sandbox.Lists
import org.junit.Test
import org.junit.runner.RunWith
import org.junit.runners.Parameterized

/**
 * The project's record of the signatures the library relies on (library-signatures.txt, written by the sandbox
 * checker; run.sh fails when a run uses another set), held against the lists named in each test's name.
 */
@RunWith(Parameterized)
class SandboxRecordTest {

    @Parameterized.Parameters(name = 'judged by {0}')
    static List<Object[]> lists() {
        return [[Lists.JUDGE] as Object[]]
    }

    SandboxRecordTest(String judge) {
        assert judge == Lists.JUDGE
    }

    @Test
    void 'every signature of the record is on the list it names and none is on the blacklist'() {
        Map<String, String> record = Lists.record()
        assert record.size() > 40
        record.each { String signature, String source ->
            if (source.startsWith('Pipeline:')) {
                // what Pipeline's own whitelist adds, by receiver (SOURCE.md): env's getProperty/setProperty
                assert signature in Lists.PIPELINE: signature
            } else {
                assert source in Lists.WHITELISTS: "${signature}: ${source}"
                if (Lists.WHOLE) {
                    assert Lists.read(new File(Lists.SHARED, source)).contains(signature): "${signature} is not on ${source}"
                    assert !Lists.BLACKLIST.contains(signature): "${signature} is on the blacklist"
                } else {
                    assert Lists.ALLOWED[signature] == source
                }
            }
            // and it names a member that exists, static or not as it says
            assert Lists.exists(signature): signature
        }
        // sorted, each once, as the checker writes it
        List<String> lines = Lists.RECORD.readLines().findAll { Lists.strip(it) }.collect { Lists.strip(it) }
        assert lines == lines.toSorted() && lines == lines.unique(false)
    }

    @Test
    void 'a clone without the shared lists is judged by the record alone, and says so'() {
        // given a directory without Script Security's lists
        File none = new File(Lists.ROOT, 'test/groovy/fixtures/script-security/no-such-lists')
        assert !none.exists()
        // when the lists are loaded from it
        Map loaded = Lists.load(none)
        // then the record's whitelist entries stand in, with no blacklist, and the judge names the record
        assert !loaded.whole && loaded.blacklist.empty
        assert loaded.allowed == Lists.record().findAll { String sig, String source -> source in Lists.WHITELISTS }
        assert loaded.judge.contains('library-signatures.txt')
        if (Lists.WHOLE) {
            assert Lists.JUDGE.contains('jenkins-sandbox') && Lists.ALLOWED.size() > 1000 && Lists.BLACKLIST.size() > 50
        }
    }

    @Test
    void 'the checker tells a member that exists from one that does not'() {
        assert Lists.exists('staticMethod groovy.json.JsonOutput toJson java.lang.String')
        assert Lists.exists('method java.util.Map get java.lang.Object')
        assert Lists.exists('new java.io.File java.lang.String')
        assert !Lists.exists('method groovy.json.JsonOutput toJson java.lang.String') // static, not an instance method
        assert !Lists.exists('method java.util.Map get java.lang.String')
        assert !Lists.exists('staticMethod no.such.Type x')
    }
}
