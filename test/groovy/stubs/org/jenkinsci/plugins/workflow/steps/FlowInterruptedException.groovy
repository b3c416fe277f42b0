package org.jenkinsci.plugins.workflow.steps

/** Stand-in for what Jenkins throws into a build that is aborted. */
class FlowInterruptedException extends InterruptedException {
    FlowInterruptedException() {
        super('aborted')
    }
}
