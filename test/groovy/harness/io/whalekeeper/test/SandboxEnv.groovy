package io.whalekeeper.test

/**
 * Stand-in for `env` as a sandboxed Pipeline sees it: Jenkins' EnvActionImpl (workflow-cps), a GroovyObject whose
 * whitelisted members are getProperty(String) and setProperty(String, Object) (`env.NAME`, `env.getProperty(name)`,
 * `env.NAME = value`), reading the withEnv overlay in force before the build's variables, as EnvActionImpl reads the
 * step context's EnvVars. `env[name]` is not one of its methods: Groovy resolves it to
 * DefaultGroovyMethods.getAt(Object, String), which script-security rejects (its own tests reject that signature for
 * dynamically resolved property access; generic-whitelist has getAt only for Map, List, arrays, String, Matcher), so
 * it fails here with the sandbox's message. With `sandbox = false` it models a trusted library instead.
 */
class SandboxEnv extends GroovyObjectSupport {

    private final Map<String, String> values
    private final Closure<Map<String, String>> overlay
    boolean sandbox = true

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

    /** `env[name]`: what the sandbox rejects (RejectedAccessException "Scripts not permitted to use …"). */
    Object getAt(String name) {
        if (sandbox) {
            throw new SecurityException('Scripts not permitted to use staticMethod ' +
                'org.codehaus.groovy.runtime.DefaultGroovyMethods getAt java.lang.Object java.lang.String')
        }
        return getProperty(name)
    }

    /** `env[name] = value`: rejected the same way (DefaultGroovyMethods.putAt(Object, String, Object)). */
    void putAt(String name, Object value) {
        if (sandbox) {
            throw new SecurityException('Scripts not permitted to use staticMethod ' +
                'org.codehaus.groovy.runtime.DefaultGroovyMethods putAt java.lang.Object java.lang.String java.lang.Object')
        }
        setProperty(name, value)
    }
}
