import io.whalekeeper.Commands
import io.whalekeeper.Steps

/**
 * Runs the body in a scope of its own, then removes what it started (`whalekeeper --scope S clean`) whatever happened
 * (success, failure, abort): containers `dockerRun` starts inside carry the scope, so parallel branches with blocks
 * of their own never touch each other's containers. With agent: true also cleans the agent. Help: withDockerCleanup.txt.
 */
def call(Map config = [:], Closure body) {
    Steps wk = new Steps(this, 'withDockerCleanup')
    Map c = wk.configure(config, [
        // key     : [type,      default]  what it is
        agent      : ['boolean', false],   // afterwards also clean the whole agent (`clean --agent`)
        target     : ['string',  '70%'],   // with agent: clean unused images until the disk is below this
        grace      : ['string',  '1h'],    // with agent: leave stopped containers younger than this
        failOnError: ['boolean', false],   // fail the step when a clean-up fails (never hides the body's own error)
    ])
    if (body == null) {
        wk.fail('needs a body: withDockerCleanup { … }')
    }
    String scope = wk.newScope()
    boolean bodyFailed = true
    try {
        Object result = null
        // WHALEKEEPER_SCOPE labels what `whalekeeper run` starts in the body (dockerRun, or the CLI called by hand).
        withEnv(['WHALEKEEPER_SCOPE=' + scope]) {
            result = body()
        }
        bodyFailed = false
        return result
    } finally {
        // A failed clean-up (finding the CLI included) never replaces the body's own error.
        wk.cleanup(Commands.cleanBuild(scope), c.failOnError, bodyFailed)
        if (c.agent) {
            wk.cleanup(Commands.cleanAgent(c + [keepImages: []]), c.failOnError, bodyFailed)
        }
    }
}
