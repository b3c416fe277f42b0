package io.whalekeeper.test

import org.junit.Test

class DockerBuildTest extends StepTestCase {

    @Test
    void 'builds with whalekeeper build, tagged with the build number, and returns the reference'() {
        // given BUILD_NUMBER=42 (the harness's env)
        // when
        Object ref = h.step('dockerBuild', [image: 'base', file: 'pipelines/Build.Dockerfile', context: 'svc',
                                            buildArgs: [VERSION: '1.2'], args: ['--pull']])
        // then
        assertCliCall(0, ['build', '--tag', 'base:42', '--file', 'pipelines/Build.Dockerfile', '--build-arg',
                          'VERSION=1.2', '--pull', 'svc'])
        assert ref == 'base:42'
    }

    @Test
    void 'defaults: the context is the workspace, and tag: overrides the build number'() {
        assert h.step('dockerBuild', [image: 'registry:5000/base', tag: 7]) == 'registry:5000/base:7'
        assertCliCall(0, ['build', '--tag', 'registry:5000/base:7', '.'])
    }

    @Test
    void 'fails when docker build fails, when there is no tag, and on an image with a tag'() {
        assert errorOf { h.step('dockerBuild', [image: 'base:1']) } ==
            'dockerBuild: image takes a repository without a tag or digest (the tag is the build number, or tag:)'
        h.env.remove('BUILD_NUMBER')
        assert errorOf { h.step('dockerBuild', [image: 'base']) } == 'dockerBuild: no tag: BUILD_NUMBER is not set, so give tag:'
        assert h.shCalls().empty
        h.env.BUILD_NUMBER = '9'
        h.shResult = { Map call -> 1 }
        assert errorOf { h.step('dockerBuild', [image: 'base']) } ==
            'dockerBuild: `whalekeeper build` exited with 1: the status of docker build (see its output above)'
        assert errorOf { h.step('dockerBuild', [image: 'base', buildArgs: [A: 1]]) } ==
            'dockerBuild: buildArgs must be a Map of String to String, not a LinkedHashMap'
    }
}
