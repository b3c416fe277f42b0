package io.whalekeeper.test

import org.junit.Test

/** Finding the CLI: once per node per build, from the library's own revision, on Unix agents only. */
class ResolveTest extends StepTestCase {

    static final String SHA = new File(PipelineHarness.ROOT, 'resources/io/whalekeeper/whalekeeper-cli.sha256').text.trim()

    @Test
    void 'a fresh agent without WHALEKEEPER_BIN gets the CLI of this revision: asked for, written once, then reused'() {
        // given no WHALEKEEPER_BIN and an agent whose cache is empty (the resolver answers NEED_CLI)
        h.env.remove('WHALEKEEPER_BIN')
        // when three steps run on it
        h.step('dockerRun', [image: 'a'])
        h.step('cleanDockerBuild')
        h.step('dockerDiskCheck', [clean: true])
        // then the resolver ran twice for the first step (asked, then given the bundle) and never again
        List<Map> resolver = h.resolverCalls()
        assert resolver*.env == [[WK_CLI_ID: SHA], [WK_CLI_ID: SHA, WK_CLI_TARBALL: '.whalekeeper-cli-' + SHA.take(16) + '.tgz']]
        assert resolver.every { it.returnStdout == true }
        // the bundle went over once, Base64 as libraryResource and writeFile carry binary files
        assert h.callsOf('writeFile')*.args*.file == ['.whalekeeper-cli-' + SHA.take(16) + '.tgz']
        assert h.callsOf('writeFile')[0].args.encoding == 'Base64'
        assert h.callsOf('writeFile')[0].args.size ==
            new File(PipelineHarness.ROOT, 'resources/io/whalekeeper/whalekeeper-cli.tgz').bytes.encodeBase64().toString().size()
        assert h.callsOf('isUnix').size() == 1
        // and every CLI call ran the unpacked CLI: 4 sh in all for 4 CLI calls, plus the 2 of the resolver
        String bin = '/cache/whalekeeper/cli-' + SHA + '/whalekeeper.js'
        assert h.shCalls()*.env*.WK_BIN == [bin] * 4
        assert h.callsOf('sh').size() == 6
    }

    @Test
    void 'with the CLI already in the agent cache: one resolver sh per build, no bundle written'() {
        h.env.remove('WHALEKEEPER_BIN')
        h.resolverResult = { Map call -> 'unpacking noise\n/home/j/.cache/whalekeeper/cli-x/whalekeeper.js\n' }
        h.step('dockerRun', [image: 'a'])
        h.step('dockerRun', [image: 'b'])
        assert h.resolverCalls().size() == 1
        assert h.callsOf('writeFile').empty && !h.callsOf('libraryResource')*.args.contains(io.whalekeeper.Resolver.CLI_RESOURCE)
        assert h.shCalls()*.env*.WK_BIN == ['/home/j/.cache/whalekeeper/cli-x/whalekeeper.js'] * 2
    }

    @Test
    void 'WHALEKEEPER_BIN is checked once per node and used as it is'() {
        h.step('dockerRun', [image: 'a'])
        h.binding.getVariable('node').call('other') { h.step('dockerRun', [image: 'b']) }
        h.step('dockerRun', [image: 'c'])
        assert h.resolverCalls().size() == 2
        assert h.resolverCalls()*.env*.NODE_NAME == [null, 'other']
        assert h.shCalls()*.env*.WK_BIN == [BIN] * 3
    }

    @Test
    void 'WHALEKEEPER_SOURCE=registry hands the resolver the pinned version and integrity, and refuses without a pin'() {
        h.env.remove('WHALEKEEPER_BIN')
        h.env.WHALEKEEPER_SOURCE = 'registry'
        String version = new File(PipelineHarness.ROOT, 'resources/io/whalekeeper/version.txt').text.trim()
        String pinned = new File(PipelineHarness.ROOT, 'resources/io/whalekeeper/integrity.txt').text.trim()
        if (pinned) {
            h.step('dockerRun', [image: 'a'])
            assert h.resolverCalls()[0].env == [WK_CLI_ID: SHA, WK_NPM_VERSION: version, WK_NPM_INTEGRITY: pinned]
        } else {
            assert errorOf { h.step('dockerRun', [image: 'a']) } == "dockerRun: WHALEKEEPER_SOURCE=registry: this " +
                "revision of the library pins no published whalekeeper@${version} (resources/io/whalekeeper/" +
                'integrity.txt is empty); unset WHALEKEEPER_SOURCE to use the CLI the library brings, or set WHALEKEEPER_BIN'
            assert h.callsOf('sh').empty
        }
    }

    @Test
    void 'a Windows agent fails once, naming the step, before any sh'() {
        h.unix = false
        assert errorOf { h.step('cleanDockerBuild') } == 'cleanDockerBuild: runs on Unix agents only (it calls the ' +
            'whalekeeper CLI through sh); this agent is Windows. Run the stage on a Linux agent, e.g. agent { label \'docker\' }'
        assert h.callsOf('sh').empty
    }

    @Test
    void 'when the resolver fails (no Node, Node too old), the step says what to do'() {
        // given what Jenkins' sh throws for a non-zero exit of a returnStdout script
        h.resolverResult = { Map call -> throw new StepError('script returned exit code 127') }
        h.env.remove('WHALEKEEPER_BIN')
        assert errorOf { h.step('dockerRun', [image: 'a']) } == 'dockerRun: could not find the whalekeeper CLI on this ' +
            'agent (the reason is in the lines above: Node.js 20.19 or later must be on PATH, or set WHALEKEEPER_BIN to ' +
            'an installed whalekeeper) [script returned exit code 127]'
    }

    @Test
    void 'when WHALEKEEPER_BIN does not run (not executable, no answer to --version), the step names it'() {
        h.resolverResult = { Map call -> throw new StepError('script returned exit code 126') }
        assert errorOf { h.step('dockerRun', [image: 'a']) } == 'dockerRun: could not find the whalekeeper CLI on this ' +
            'agent (the reason is in the lines above: WHALEKEEPER_BIN=' + BIN + ' must be an executable that answers ' +
            '--version) [script returned exit code 126]'
    }

    @Test
    void 'the CLI is resolved per place: a nodejs block (another PATH) resolves again, the same place does not'() {
        // given a node whose PATH a nodejs { } block changes
        h.env.PATH = '/usr/bin:/bin'
        h.step('dockerRun', [image: 'a'])
        h.step('dockerRun', [image: 'a'])
        h.binding.getVariable('withEnv').call(['PATH=/opt/node-22/bin:/usr/bin:/bin']) { h.step('dockerRun', [image: 'a']) }
        // then once for the node, once inside the block
        assert h.resolverCalls().size() == 2
        assert h.resolverCalls()[1].env.PATH == '/opt/node-22/bin:/usr/bin:/bin'
    }
}
