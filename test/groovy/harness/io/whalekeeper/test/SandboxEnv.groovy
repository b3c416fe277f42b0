package io.whalekeeper.test

import org.jenkinsci.plugins.workflow.cps.EnvActionImpl

/**
 * Stand-in for `env` as a Pipeline sees it: Jenkins' EnvActionImpl (workflow-cps), a GroovyObject whose members
 * Pipeline's whitelist allows are getProperty(String) and setProperty(String, Object) (`env.NAME`,
 * `env.getProperty(name)`, `env.NAME = value`), reading the withEnv overlay in force before the build's variables, as
 * EnvActionImpl reads the step context's EnvVars. `env[name]` is not one of its methods: Groovy resolves it to
 * DefaultGroovyMethods.getAt(Object, String), which the sandbox checker rejects, as a real controller does.
 */
class SandboxEnv extends EnvActionImpl {

    private final Map<String, String> values
    private final Closure<Map<String, String>> overlay

    SandboxEnv(Map<String, String> values, Closure<Map<String, String>> overlay) {
        this.values = values
        this.overlay = overlay
    }

    @Override
    Object getProperty(String name) {
        Map<String, String> current = overlay()
        if (current.containsKey(name)) {
            // withEnv with an empty value unsets the variable (Jenkins' EnvVars.override).
            return current[name] == '' ? null : current[name]
        }
        return values[name]
    }

    @Override
    void setProperty(String name, Object value) {
        values[name] = value == null ? null : value.toString()
    }
}
