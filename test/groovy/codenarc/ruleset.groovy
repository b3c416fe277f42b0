// The CodeNarc rules the shared library (vars/ and src/**/*.groovy) must pass; run by test/groovy/run.sh.
ruleset {
    rule(io.whalekeeper.lint.GStringInShRule)
    ruleset('rulesets/basic.xml')
    ruleset('rulesets/braces.xml')
    ruleset('rulesets/exceptions.xml') {
        exclude 'CatchException'          // Steps.onNode catches to recognise "no node", then rethrows
    }
    ruleset('rulesets/imports.xml')
    ruleset('rulesets/security.xml') {
        exclude 'JavaIoPackageAccess'
    }
    ruleset('rulesets/unused.xml')
    ruleset('rulesets/serialization.xml')
    ruleset('rulesets/concurrency.xml')
    ruleset('rulesets/naming.xml') {
        exclude 'FactoryMethodName'
    }
    ruleset('rulesets/unnecessary.xml') {
        exclude 'UnnecessaryReturnKeyword'  // explicit returns read better in steps
        exclude 'UnnecessaryGString'
    }
    ruleset('rulesets/size.xml') {
        exclude 'CrapMetric'
    }
    ruleset('rulesets/formatting.xml') {
        exclude 'SpaceAroundMapEntryColon'  // the aligned defaults maps
        exclude 'ClassJavadoc'
        LineLength { length = 130 }
    }
}
