package io.whalekeeper.test

import org.junit.Test
import org.jenkinsci.plugins.workflow.steps.MissingContextVariableException

class DockerRunTest extends StepTestCase {

    @Test
    void 'runs whalekeeper run with the options, the image and the command as one argv'() {
        // given / when
        Object status = h.step('dockerRun', [image: 'base:42', args: ['-e', 'X=1'], command: ['ash', '-c', 'pipelines/test.sh']])
        // then: one CLI call through the constant script, everything in WK_ARGV
        assertCliCall(0, ['run', '-e', 'X=1', 'base:42', 'ash', '-c', 'pipelines/test.sh'])
        assert h.shCalls().size() == 1
        assert status == 0
    }

    @Test
    void 'only the image is required'() {
        h.step('dockerRun', [image: 'base:42'])
        assertCliCall(0, ['run', 'base:42'])
    }

    @Test
    void 'a GString value is accepted and handed on as a String'() {
        String number = '42'
        h.step('dockerRun', [image: "base:${number}", command: ["echo ${number}"]])
        assertCliCall(0, ['run', 'base:42', 'echo 42'])
    }

    @Test
    void 'fails the step on a non-zero exit'() {
        // given a container that exits 3
        h.shResult = { Map call -> 3 }
        // when / then
        String message = errorOf { h.step('dockerRun', [image: 'base:42']) }
        assert message == 'dockerRun: `whalekeeper run` exited with 3: the container\'s exit status, or 125-127 when ' +
            'docker could not run it (see its output above)'
    }

    @Test
    void 'returnStatus returns the exit status instead'() {
        h.shResult = { Map call -> 3 }
        assert h.step('dockerRun', [image: 'base:42', returnStatus: true]) == 3
        assert h.callsOf('error').empty
    }

    @Test
    void 'rejects unknown keys, wrong types, a missing image and an image that reads as an option'() {
        assert errorOf { h.step('dockerRun', [image: 'a', cmd: ['x']]) } ==
            'dockerRun: unknown key cmd; the keys are image, args, command, returnStatus, returnStdout, credentialsId, ' +
            'registry (see dockerRun.txt)'
        assert errorOf { h.step('dockerRun', [image: 'a', command: 'make test']) } ==
            'dockerRun: command must be a List of Strings, not a String'
        assert errorOf { h.step('dockerRun', [image: 'a', args: ['--cpus', 2]]) } ==
            'dockerRun: args must be a List of Strings, not a List holding an Integer'
        assert errorOf { h.step('dockerRun', [image: 'a', returnStatus: 'yes']) } ==
            'dockerRun: returnStatus must be a Boolean, not a String'
        assert errorOf { h.step('dockerRun', [:]) } == 'dockerRun: image is required (see dockerRun.txt)'
        assert errorOf { h.step('dockerRun', [image: '--privileged']) } ==
            'dockerRun: image must not start with \'-\' (it is an operand, not an option)'
        assert h.shCalls().empty
    }

    @Test
    void 'says clearly when there is no node'() {
        // given a pipeline position without a node (sh throws what Jenkins throws there)
        h.shResult = { Map call -> throw new MissingContextVariableException() }
        // when / then
        assert errorOf { h.step('dockerRun', [image: 'base:42']) } == 'dockerRun: needs a node to run on: call it ' +
            'inside node { … }, or in a stage or post section of a pipeline with an agent (a top-level post under ' +
            '`agent none` has none) [MissingContextVariableException]'
    }

    @Test
    void 'returnStdout returns the container output exactly, through the constant stdout script'() {
        // given a CLI whose output has no final newline, then one with blank lines, then nothing
        List<String> outputs = ['hello', 'a\n\nb\n', '']
        outputs.each { String out ->
            h.shResult = { Map call -> out + '\n0\n' }
            // when / then
            assert h.step('dockerRun', [image: 'base:42', command: ['echo'], returnStdout: true]) == out
        }
        assert h.shCalls()*.script.unique() == ['wk=0; "$WK_BIN" --argv-env WK_ARGV || wk=$?; printf \'\\n%s\\n\' "$wk"']
        assert h.shCalls().every { it.returnStdout == true && !it.returnStatus }
        assert h.cliArgvs()[0] == ['run', 'base:42', 'echo']
    }

    @Test
    void 'returnStdout fails the step on a non-zero exit, and excludes returnStatus'() {
        h.shResult = { Map call -> 'partial\n3\n' }
        assert errorOf { h.step('dockerRun', [image: 'base:42', returnStdout: true]) } ==
            'dockerRun: `whalekeeper run` exited with 3: the container\'s exit status, or 125-127 when docker could not ' +
            'run it (see its output above)'
        assert errorOf { h.step('dockerRun', [image: 'base:42', returnStdout: true, returnStatus: true]) } ==
            'dockerRun: returnStatus and returnStdout exclude each other (returnStdout fails the step on a non-zero exit)'
    }
}
