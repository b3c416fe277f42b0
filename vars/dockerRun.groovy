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
    ])
    wk.requireOperands(c, ['image'])
    return wk.cliChecked(Commands.run(c), c.returnStatus,
        'the container\'s exit status, or 125-127 when docker could not run it')
}
