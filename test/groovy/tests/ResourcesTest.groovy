package io.whalekeeper.test

import org.junit.Test

/** The DinD agent pod template shows how the steps reach the sidecar's engine, with TLS, once it is up. */
class ResourcesTest {

    static final String POD = new File(PipelineHarness.ROOT, 'resources/io/whalekeeper/kubernetes/dind-agent-pod.yaml').text

    /** The lines of one container's block (from its `- name:` to the next one at the same indent). */
    private static String container(String name) {
        return (POD =~ /(?s)\n    - name: ${name}\n(.*?)(?=\n    - name: |\n  \w|\z)/)[0][1]
    }

    @Test
    void 'the dind sidecar runs docker dind with TLS, privileged, and a startup probe the build waits for'() {
        String dind = container('dind')
        assert dind =~ /image: docker:[\w.]+-dind\n/
        assert dind.contains('privileged: true')
        assert dind =~ /name: DOCKER_TLS_CERTDIR\n\s+value: \/certs\n/
        assert dind.contains('restartPolicy: Always') && dind.contains('startupProbe:')
        assert POD.indexOf('initContainers:') < POD.indexOf('- name: dind')
    }

    @Test
    void 'the build container reaches it over tcp localhost 2376 with TLS verified and only the client certificates'() {
        String build = container('build')
        assert build =~ /name: DOCKER_HOST\n\s+value: tcp:\/\/localhost:2376\n/
        assert build =~ /name: DOCKER_TLS_VERIFY\n\s+value: "1"\n/
        assert build =~ /name: DOCKER_CERT_PATH\n\s+value: \/certs\/client\n/
        assert build =~ /name: docker-certs\n\s+mountPath: \/certs\/client\n\s+subPath: client\n\s+readOnly: true/
        assert !POD.contains('\t')
    }
}
