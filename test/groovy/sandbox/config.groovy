// groovyc --configscript: the library's sources (vars/, src/io/whalekeeper/) compile with the sandbox checker.
configuration.addCompilationCustomizers(new io.whalekeeper.sandbox.SandboxCustomizer())
