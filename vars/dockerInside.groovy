import io.whalekeeper.Commands
import io.whalekeeper.Resolver
import io.whalekeeper.Steps

/**
 * Runs the body's steps inside a container of the image with the workspace mounted, as Docker Pipeline's `inside`
 * does (it is that plugin's withDockerContainer), but the container carries whalekeeper's labels and a scope of its
 * own: the block's end removes it and whatever the body started with dockerRun, whatever happened, and a later clean
 * finds it when the agent was lost. Help: dockerInside.txt.
 */
def call(Map config = [:], Closure body) {
    Steps wk = new Steps(this, 'dockerInside')
    Map c = wk.configure(config, [
        // key     : [type,      default]  what it is
        image      : ['string!', null],    // the image to run the body in, e.g. 'node:22' (required)
        args       : ['strings', []],      // more docker run options, e.g. ['-e', 'CI=1', '--network', 'host']
        failOnError: ['boolean', false],   // fail the step when the clean-up fails (never hides the body's own error)
    ])
    wk.requireOperands(c, ['image'])
    if (body == null) {
        wk.fail('needs a body: dockerInside(image: …) { sh … }')
    }
    String scope = wk.newScope()
    List<String> runArgs = c.args
    Commands.ownershipLabels(wk.buildId(), scope).each { String label -> runArgs += ['--label', label] }
    String problem = Commands.tokenizedArgsProblem(runArgs)
    if (problem) {
        wk.fail(problem)
    }
    // The body's library steps find the CLI in the container (WHALEKEEPER_INSIDE); the library's own CLI is unpacked
    // into the workspace's temporary directory, which the container shares, unless WHALEKEEPER_CACHE says where.
    List<String> inside = ['WHALEKEEPER_SCOPE=' + scope, Resolver.INSIDE + '=' + c.image]
    if (!wk.env('WHALEKEEPER_CACHE')) {
        wk.onNode { inside << 'WHALEKEEPER_CACHE=' + pwd(tmp: true) + '/whalekeeper-cache' }
    }
    boolean bodyFailed = true
    try {
        Object result = null
        withEnv(inside) {
            result = wk.insideContainer(c.image, Commands.tokenizedArgs(runArgs), body)
        }
        bodyFailed = false
        return result
    } finally {
        // Docker Pipeline stops and removes its container itself; this removes it when that failed, and everything
        // else the body started in this scope, with the agent's CLI. A failed clean-up (finding the CLI included)
        // never replaces the body's own error.
        wk.cleanup(Commands.cleanBuild(scope), c.failOnError, bodyFailed)
    }
}
