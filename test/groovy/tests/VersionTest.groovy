package io.whalekeeper.test

import groovy.json.JsonSlurper
import org.junit.Test

class VersionTest {

    @Test
    void 'the pinned CLI version is package json version'() {
        String pinned = new File(PipelineHarness.ROOT, 'resources/io/whalekeeper/version.txt').text
        Map pkg = (Map) new JsonSlurper().parse(new File(PipelineHarness.ROOT, 'package.json'))
        assert pinned == pkg.version + '\n'
    }
}
