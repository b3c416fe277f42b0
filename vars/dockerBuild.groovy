import io.whalekeeper.Commands
import io.whalekeeper.Steps

/**
 * Builds an image with `whalekeeper build`, tagged with the build number, and pushes it with push: true; returns
 * 'image:tag'. Help: dockerBuild.txt.
 */
def call(Map config = [:]) {
    Steps wk = new Steps(this, 'dockerBuild')
    Map c = wk.configure(config, [
        // key   : [type,      default]  what it is
        image    : ['string!', null],    // the repository to tag, without a tag, e.g. 'base' (required)
        file     : ['string',  null],    // the Dockerfile, e.g. 'pipelines/Build.Dockerfile' (default: docker's)
        context  : ['string',  '.'],     // the build context directory
        args     : ['strings', []],      // more docker build options, e.g. ['--pull']
        buildArgs: ['map',     [:]],     // build args, e.g. [VERSION: '1.2'] (never secrets; BUILD_NUMBER is added)
        tag      : ['scalar',  null],    // the tag (default: env.BUILD_NUMBER)
        credentialsId: ['string', null], // Username with password credentials for the base images' registry (docker login)
        registry : ['string',  null],    // with credentialsId: the registry to log in to (default: Docker Hub)
        push     : ['boolean', false],   // then push image:tag (`docker push`, logged in when credentialsId is set)
    ])
    wk.requireOperands(c, ['image', 'context'])
    wk.requireRegistry(c)
    if (c.image.contains('@') || c.image.tokenize('/')[-1].contains(':')) {
        wk.fail('image takes a repository without a tag or digest (the tag is the build number, or tag:)')
    }
    String tag = c.tag ?: wk.env('BUILD_NUMBER')
    if (!tag) {
        wk.fail('no tag: BUILD_NUMBER is not set, so give tag:')
    }
    wk.withRegistry(c.credentialsId, c.registry) {
        wk.cliChecked(Commands.build(c, tag), false, 'the status of docker build')
        if (c.push) {
            wk.push(c.image + ':' + tag)
        }
    }
    return c.image + ':' + tag
}
