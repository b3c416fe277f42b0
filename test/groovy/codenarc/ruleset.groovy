ruleset { ruleset('rulesets/basic.xml') }
