import io.whalekeeper.Commands
import io.whalekeeper.Steps

/** Checks the agent's Docker disk (`whalekeeper disk`), optionally cleaning first. Help: dockerDiskCheck.txt. */
def call(Map config = [:]) {
    Steps wk = new Steps(this, 'dockerDiskCheck')
    Map c = wk.configure(config, [
        // key      : [type,      default]  what it is
        warn        : ['string',  '80%'],   // warn above this use of the engine's filesystem
        fail        : ['string',  '90%'],   // fail the step above this
        prometheus  : ['string',  null],    // also write node_exporter textfile metrics to this file
        clean       : ['boolean', false],   // first run `clean --agent --target <cleanTarget>` (never fails)
        cleanTarget : ['string',  '70%'],   // with clean: the target of that clean
        measureImage: ['string',  null],    // a remote engine's data root is measured in a container of this image
        failNotMeasured: ['boolean', false], // fail when the disk could not be measured (exit 5); else a warning
        returnStatus: ['boolean', false],   // return the exit status (1 = above fail) instead of failing the step
    ])
    if (c.clean) {
        wk.cliTolerant(Commands.cleanAgent([target: c.cleanTarget, grace: '1h', keepImages: []]), false)
    }
    List<String> argv = Commands.disk(c)
    if (c.measureImage) {
        argv += ['--measure-image', c.measureImage]
    }
    int status = wk.cli(argv)
    int notMeasured = 5 // `whalekeeper disk --fail`: the data root could not be measured (no mount, no helper image)
    if (status == notMeasured && !c.failNotMeasured) {
        echo('dockerDiskCheck: warning: the disk could not be measured (`whalekeeper disk` exited with 5; its output ' +
            'above says why and what to do: mount the data root, or measureImage); failNotMeasured: true fails the step')
    } else if (status != 0 && !c.returnStatus) {
        wk.fail("`whalekeeper disk` exited with ${status}: 1 = above the fail threshold, 3 = the engine could not be " +
            'reached, 4 = the engine refuses whalekeeper\'s API version, 5 = the data root could not be measured ' +
            '(see its output above)')
    }
    return status
}

