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
}
