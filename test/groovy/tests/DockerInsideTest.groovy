package io.whalekeeper.test

import org.junit.Test
import org.jenkinsci.plugins.workflow.steps.FlowInterruptedException

/** dockerInside on Docker Pipeline's withDockerContainer (recorded here; the live test runs it on a real engine). */
class DockerInsideTest extends StepTestCase {

    @Test
    void 'hands withDockerContainer the image and the args with whalekeeper labels, then cleans its scope'() {
        // given / when
        Object result = h.step('dockerInside', [image: 'node:22', args: ['-e', 'CI=1', '--label', 'team=a b']], {
            h.binding.getVariable('sh').call('npm test')
            'tested'
        })
        // then the plugin got the image, and the options as one string its tokenizer splits back into the same list
        assert result == 'tested'
        Map args = (Map) h.callsOf('withDockerContainer')[0].args
        assert args.image == 'node:22'
        List<String> tokens = PipelineHarness.tokenize(args.args)
        String scope = tokens[-1] - 'whalekeeper.scope='
        assert tokens == ['-e', 'CI=1', '--label', 'team=a b', '--label', 'whalekeeper.managed=true',
                          '--label', 'whalekeeper.build=jenkins-app-42', '--label', 'whalekeeper.scope=' + scope]
        assert scope ==~ /dockerInside-[0-9a-f-]{36}/
        // the body's sh ran in the scope, and the block's clean names it
        assert h.shCalls()[0].script == 'npm test' && h.shCalls()[0].env.WHALEKEEPER_SCOPE == scope
        assert h.cliArgvs() == [['--scope', scope, 'clean']]
    }

    @Test
    void 'BUILD_TAG and WHALEKEEPER_BUILD name the build as the CLI would'() {
        h.env.BUILD_TAG = 'jenkins-folder-app-7'
        h.step('dockerInside', [image: 'x'], { 'ok' })
        assert h.callsOf('withDockerContainer')[0].args.args.contains('"whalekeeper.build=jenkins-folder-app-7"')
        h.env.WHALEKEEPER_BUILD = 'mine'
        h.step('dockerInside', [image: 'x'], { 'ok' })
        assert h.callsOf('withDockerContainer')[1].args.args.contains('"whalekeeper.build=mine"')
    }

    @Test
    void 'cleans its scope after a failure and an abort, and lets them through'() {
        [new IllegalStateException('tests failed'), new FlowInterruptedException()].each { Throwable thrown ->
            h = new PipelineHarness()
            try {
                h.step('dockerInside', [image: 'x'], { throw thrown })
                assert false
            } catch (Throwable e) {
                assert e.is(thrown)
            }
            assert h.cliArgvs().size() == 1 && h.cliArgvs()[0][2] == 'clean'
        }
    }

    @Test
    void 'refuses an args value the option string cannot carry, without quoting it, and keeps hostile values one argument'() {
        ['a"b', 'a\\b', 'a\nb'].each { String bad ->
            assert errorOf { h.step('dockerInside', [image: 'x', args: ['-e', bad]], { 'ok' }) } ==
                'dockerInside: args: element 1 holds a double quote, a backslash or a line break, which Docker ' +
                'Pipeline\'s option string cannot carry'
        }
        assert h.callsOf('withDockerContainer').empty
        // and a value with spaces, quotes of the other kind, $() and ; is one argument, as it was given
        List<String> hostile = ['-e', "X=\$(touch /tmp/x); y 'z'", '--label', 'a b\tc']
        h.step('dockerInside', [image: 'x', args: hostile], { 'ok' })
        assert PipelineHarness.tokenize(h.callsOf('withDockerContainer')[0].args.args)[0..3] == hostile
    }

    @Test
    void 'without the Docker Pipeline plugin, says which plugin it needs'() {
        // given a Jenkins without withDockerContainer (what CPS throws for an unknown step)
        h.binding.setVariable('withDockerContainer', { Map args, Closure body ->
            throw new NoSuchMethodError("No such DSL method 'withDockerContainer' found among steps [sh, echo]")
        })
        assert errorOf { h.step('dockerInside', [image: 'x'], { 'ok' }) } == 'dockerInside: needs the Docker Pipeline ' +
            'plugin (docker-workflow), whose withDockerContainer step runs the body inside the container; install it, ' +
            'or use dockerRun for a single command'
    }

    @Test
    void 'validates its keys and needs a body'() {
        assert errorOf { h.step('dockerInside', [:], { 'ok' }) } == 'dockerInside: image is required (see dockerInside.txt)'
        assert errorOf { h.step('dockerInside', [image: '-x'], { 'ok' }) } ==
            'dockerInside: image must not start with \'-\' (it is an operand, not an option)'
        assert errorOf { h.step('dockerInside', [image: 'x'], null) } == 'dockerInside: needs a body: dockerInside(image: …) { sh … }'
    }

    @Test
    void 'library steps in the body find the CLI in the container, not in the agent cache, and the clean-up finds the agent one'() {
        // given a step on the agent first (the agent's CLI is resolved and cached)
        h.env.remove('WHALEKEEPER_BIN')
        h.resolverResult = { Map call -> '/cache/whalekeeper/cli-x/whalekeeper.js\n' }
        h.step('dockerRun', [image: 'a'])
        // when dockerRun runs inside a dockerInside body
        h.step('dockerInside', [image: 'node:22'], { h.step('dockerRun', [image: 'b']) })
        // then the CLI was resolved again, in the container: the resolver saw the image and a cache the container shares
        List<Map> resolved = h.resolverCalls()
        assert resolved.size() == 2
        assert resolved[1].env.WHALEKEEPER_INSIDE == 'node:22'
        assert resolved[1].env.WHALEKEEPER_CACHE == '/workspace/app@tmp/whalekeeper-cache'
        assert resolved[0].env.WHALEKEEPER_INSIDE == null
        // and the block's clean-up, on the agent again, used the agent's cached CLI
        assert h.cliArgvs()*.getAt(0) == ['run', 'run', '--scope']
        // a second block resolves in its own container again
        h.step('dockerInside', [image: 'node:22'], { h.step('dockerRun', [image: 'c']) })
        assert h.resolverCalls().size() == 3
    }

    @Test
    void 'a container without what the CLI needs: the body step fails naming the image and what is missing, and the block cleans up'() {
        h.env.remove('WHALEKEEPER_BIN')
        h.resolverResult = { Map call ->
            if (call.env.WHALEKEEPER_INSIDE) {
                throw new StepError('script returned exit code 127')
            }
            return '/cache/whalekeeper/cli-x/whalekeeper.js\n'
        }
        assert errorOf { h.step('dockerInside', [image: 'busybox:1'], { h.step('dockerRun', [image: 'b']) }) } ==
            'dockerRun: could not find the whalekeeper CLI inside the dockerInside container of busybox:1 (the reason is ' +
            'in the lines above): the image needs Node.js 20.19 or later on PATH, or mount an installed whalekeeper and ' +
            'set WHALEKEEPER_BIN to its path in the container [script returned exit code 127]'
        assert h.cliArgvs().size() == 1 && h.cliArgvs()[0][2] == 'clean'
        // with WHALEKEEPER_BIN set (an agent path the container may not have), the message names it
        h.env.WHALEKEEPER_BIN = BIN
        h.resolverResult = { Map call -> throw new StepError('script returned exit code 127') }
        String message = errorOf { h.step('dockerInside', [image: 'busybox:1'], { h.step('dockerRun', [image: 'b']) }) }
        assert message.contains("WHALEKEEPER_BIN=${BIN} must be an executable in the container that answers --version")
    }

    @Test
    void 'a clean-up that cannot find the CLI never replaces the body error, and fails a good body only with failOnError'() {
        [{ Closure body -> h.step('dockerInside', [image: 'x'], body) },
         { Closure body -> h.step('withDockerCleanup', [:], body) }].each { Closure block ->
            // given an agent where the resolver fails
            h = new PipelineHarness()
            h.resolverResult = { Map call -> throw new StepError('script returned exit code 127') }
            // when the body fails: its own error comes through, and the log says the clean-up could not run
            IllegalStateException thrown = new IllegalStateException('tests failed')
            try {
                block { throw thrown }
                assert false
            } catch (Throwable e) {
                assert e.is(thrown)
            }
            assert h.callsOf('echo')*.args.any { it.contains('the clean-up (`whalekeeper clean`) could not run') &&
                it.endsWith("the block's own error follows") }
            // when the body succeeds: its result stands, unless failOnError
            assert block { 'ok' } == 'ok'
        }
        h = new PipelineHarness()
        h.resolverResult = { Map call -> throw new StepError('script returned exit code 127') }
        assert errorOf { h.step('withDockerCleanup', [failOnError: true], { 'ok' }) }.startsWith('withDockerCleanup: could not find')
    }
}
