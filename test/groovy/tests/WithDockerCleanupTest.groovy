package io.whalekeeper.test

import org.junit.Test
import org.jenkinsci.plugins.workflow.steps.FlowInterruptedException

class WithDockerCleanupTest extends StepTestCase {

    /** The order of events: CLI argvs (the scope shown as S) and the body as 'body'. */
    private List<String> timeline() {
        return h.calls.findAll { it.step == 'echo' || (it.step == 'sh' && it.args.script == io.whalekeeper.Steps.CLI_SCRIPT) }.collect {
            it.step == 'echo' ? it.args : new groovy.json.JsonSlurper().parseText(it.args.env.WK_ARGV)
                .collect { String arg -> arg.startsWith('withDockerCleanup-') ? 'S' : arg }.join(' ')
        }
    }

    /** The scope of the block (from its clean's argv). */
    private String scopeOf(int cli) {
        List<String> argv = h.cliArgvs()[cli]
        assert argv[0] == '--scope'
        return argv[1]
    }

    @Test
    void 'runs the body in a scope of its own, cleans that scope after, and returns what the body returned'() {
        // given a body that runs a container
        Object result = h.step('withDockerCleanup', [:], {
            h.binding.getVariable('echo').call('body')
            h.step('dockerRun', [image: 'base:42'])
            'built'
        })
        // then no sweep before (it would reach other blocks of the build), the scope after
        assert result == 'built'
        assert timeline() == ['body', 'run base:42', '--scope S clean']
        String scope = scopeOf(1)
        assert scope ==~ /withDockerCleanup-[0-9a-f-]{36}/
        // and the container the body started carries the scope (WHALEKEEPER_SCOPE, read by `whalekeeper run`)
        assert h.shCalls()[0].env.WHALEKEEPER_SCOPE == scope
        assert !h.shCalls()[1].env.containsKey('WHALEKEEPER_SCOPE')
    }

    @Test
    void 'each block has its own scope, nested blocks included'() {
        h.step('withDockerCleanup', [:], { h.step('withDockerCleanup', [:], { 'inner' }) })
        assert timeline() == ['--scope S clean', '--scope S clean']
        assert scopeOf(0) != scopeOf(1)
    }

    @Test
    void 'cleans after a failure and lets the failure through'() {
        // given a body that fails
        Closure body = { h.binding.getVariable('echo').call('body'); throw new IllegalStateException('tests failed') }
        // when
        Throwable thrown = null
        try {
            h.step('withDockerCleanup', body)
        } catch (IllegalStateException e) {
            thrown = e
        }
        // then
        assert thrown.message == 'tests failed'
        assert timeline() == ['body', '--scope S clean']
    }

    @Test
    void 'cleans after an abort and lets the abort through'() {
        // given a body aborted by the user (Jenkins throws FlowInterruptedException into it)
        Closure body = { throw new FlowInterruptedException() }
        // when
        Throwable thrown = null
        try {
            h.step('withDockerCleanup', body)
        } catch (FlowInterruptedException e) {
            thrown = e
        }
        // then
        assert thrown != null
        assert timeline() == ['--scope S clean']
    }

    @Test
    void 'agent: true also cleans the agent afterwards, with target and grace'() {
        h.step('withDockerCleanup', [agent: true, target: '20GB', grace: '30m'], { 'x' })
        assertCliCall(1, ['clean', '--agent', '--target', '20GB', '--grace', '30m'])
        assert h.shCalls().size() == 2
    }

    @Test
    void 'a failed clean is reported and the build goes on, failOnError fails it, never hiding the body error'() {
        // given every clean fails
        h.shResult = { Map call -> 1 }
        // when / then: reported only
        assert h.step('withDockerCleanup', { 'ok' }) == 'ok'
        assert h.callsOf('echo')*.args ==
            ['withDockerCleanup: `whalekeeper clean` exited with 1; the build goes on (failOnError: true fails it)']
        // and with failOnError the clean after a good body fails the step
        assert errorOf { h.step('withDockerCleanup', [failOnError: true], { 'ok' }) } ==
            'withDockerCleanup: `whalekeeper clean` exited with 1 (see its output above)'
        // but a body error stays the error
        try {
            h.step('withDockerCleanup', [failOnError: true], { throw new IllegalStateException('body') })
            assert false
        } catch (IllegalStateException e) {
            assert e.message == 'body'
        }
    }

    @Test
    void 'parallel branches each clean only their own scope'() {
        // given two branches (interleaved on threads, as CPS does), each with its own block and a detached container
        h.step('withDockerCleanup', [:], {
            h.binding.getVariable('parallel').call([
                a: { h.step('withDockerCleanup', [:], { h.step('dockerRun', [image: 'svc', args: ['-d']]) }) },
                b: { h.step('withDockerCleanup', [:], { h.step('dockerRun', [image: 'svc', args: ['-d']]) }) },
            ])
        })
        // then each branch's run carries its branch's scope, and each branch's clean names that scope only
        Map<String, List<Map>> byBranch = h.calls.findAll { it.step == 'sh' && it.args.script == io.whalekeeper.Steps.CLI_SCRIPT }.groupBy { it.branch }
        assert byBranch.keySet() == ['a', 'b', null] as Set
        Set<String> scopes = ['a', 'b'].collect { String branch ->
            List<Map> shs = byBranch[branch]*.args
            String scope = shs[0].env.WHALEKEEPER_SCOPE
            assert new groovy.json.JsonSlurper().parseText(shs[1].env.WK_ARGV) == ['--scope', scope, 'clean']
            scope
        } as Set
        assert scopes.size() == 2
        // and the outer block's clean names the outer scope, neither branch's
        assert !(scopeOf(h.cliArgvs().size() - 1) in scopes)
    }

    @Test
    void 'rejects unknown keys'() {
        assert errorOf { h.step('withDockerCleanup', [agents: true], { 'x' }) } ==
            'withDockerCleanup: unknown key agents; the keys are agent, target, grace, failOnError (see withDockerCleanup.txt)'
    }
}
