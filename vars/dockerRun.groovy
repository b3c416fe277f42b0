import io.whalekeeper.Commands
import io.whalekeeper.Steps

/** Runs a container with `whalekeeper run`: docker run that never leaves it behind. Help: dockerRun.txt. */
def call(Map config = [:]) {
    Steps wk = new Steps(this, 'dockerRun')
    Map c = wk.configure(config, [
        // key      : [type,      default]  what it is
        image       : ['string!', null],    // the image to run, e.g. 'base:42' (required)
        args        : ['strings', []],      // docker run options before the image, e.g. ['-e', 'X=1']
        command     : ['strings', []],      // the command and its arguments, e.g. ['ash', '-c', 'pipelines/test.sh']
        returnStatus: ['boolean', false],   // return the exit status instead of failing the step on a non-zero one
        returnStdout: ['boolean', false],   // return the container's standard output (its standard error stays in the log)
        credentialsId: ['string', null],    // Username with password credentials to pull the image with (docker login)
        registry    : ['string',  null],    // with credentialsId: the registry to log in to (default: Docker Hub)
    ])
    wk.requireOperands(c, ['image'])
    if (c.returnStatus && c.returnStdout) {
        wk.fail('returnStatus and returnStdout exclude each other (returnStdout fails the step on a non-zero exit)')
    }
    wk.requireRegistry(c)
    String what = 'the container\'s exit status, or 125-127 when docker could not run it'
    return wk.withRegistry(c.credentialsId, c.registry) {
        if (!c.returnStdout) {
            return wk.cliChecked(Commands.run(c), c.returnStatus, what)
        }
        Map result = wk.cliStdout(Commands.run(c))
        if (result.status != 0) {
            wk.fail("`whalekeeper run` exited with ${result.status}: ${what} (see its output above)")
        }
        return result.stdout
    }
}
