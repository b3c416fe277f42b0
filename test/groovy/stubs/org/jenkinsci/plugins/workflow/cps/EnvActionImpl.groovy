package org.jenkinsci.plugins.workflow.cps

/**
 * Stand-in for workflow-cps' EnvActionImpl, the class of `env` in a pipeline: a GroovyObjectSupport whose
 * getProperty/setProperty Pipeline's own whitelist (CpsWhitelist) allows by receiver. It has no getAt: `env[name]`
 * resolves to DefaultGroovyMethods.getAt(Object, String), as on a real controller.
 */
abstract class EnvActionImpl extends GroovyObjectSupport {
}
