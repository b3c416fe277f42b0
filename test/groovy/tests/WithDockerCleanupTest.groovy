package io.whalekeeper.test

import org.junit.Test
import org.jenkinsci.plugins.workflow.steps.FlowInterruptedException

class WithDockerCleanupTest extends StepTestCase {

    /** The order of events: CLI argvs as 'clean…' and the body as 'body'. */
    private List<String> timeline() {
        return h.calls.findAll { it.step == 'echo' || (it.step == 'sh') }.collect {
            it.step == 'echo' ? it.args : new groovy.json.JsonSlurper().parseText(it.args.env.WK_ARGV).join(' ')
        }
    }

    @Test
    void 'sweeps before, runs the body, cleans after, and returns what the body returned'() {
        // given / when
        Object result = h.step('withDockerCleanup', [:], { h.binding.getVariable('echo').call('body'); 'built' })
        // then
        assert result == 'built'
        assert timeline() == ['clean', 'body', 'clean']
        assertCliCall(0, ['clean'])
        assertCliCall(1, ['clean'])
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
        assert timeline() == ['clean', 'body', 'clean']
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
        assert timeline() == ['clean', 'clean']
    }

    @Test
    void 'agent: true also cleans the agent afterwards, with target and grace'() {
        h.step('withDockerCleanup', [agent: true, target: '20GB', grace: '30m'], { 'x' })
        assertCliCall(2, ['clean', '--agent', '--target', '20GB', '--grace', '30m'])
        assert h.shCalls().size() == 3
    }

    @Test
    void 'a failed clean is reported and the build goes on, failOnError fails it, never hiding the body error'() {
        // given every clean fails
        h.shResult = { Map call -> 1 }
        // when / then: reported only
        assert h.step('withDockerCleanup', { 'ok' }) == 'ok'
        assert h.callsOf('echo')*.args ==
            ['withDockerCleanup: `whalekeeper clean` exited with 1; the build goes on (failOnError: true fails it)'] * 2
        // and with failOnError the sweep before fails the step
        assert errorOf { h.step('withDockerCleanup', [failOnError: true], { 'ok' }) } ==
            'withDockerCleanup: `whalekeeper clean` exited with 1 (see its output above)'
        // but a body error stays the error
        int before = h.shCalls().size()
        h.shResult = { Map call -> h.shCalls().size() == before + 1 ? 0 : 1 }
        try {
            h.step('withDockerCleanup', [failOnError: true], { throw new IllegalStateException('body') })
            assert false
        } catch (IllegalStateException e) {
            assert e.message == 'body'
        }
    }

    @Test
    void 'rejects unknown keys'() {
        assert errorOf { h.step('withDockerCleanup', [agents: true], { 'x' }) } ==
            'withDockerCleanup: unknown key agents; the keys are agent, target, grace, failOnError (see withDockerCleanup.txt)'
    }
}
