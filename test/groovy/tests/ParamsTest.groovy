package io.whalekeeper.test

import io.whalekeeper.Params
import org.junit.Test

/** Params.resolve as a table: config -> values or the error. */
class ParamsTest {

    static final Map<String, List> KEYS = [
        s: ['string!', null], l: ['strings', []], sl: ['string|strings', null], n: ['scalar', null],
        b: ['boolean', false], i: ['integer', null], m: ['map', [:]],
    ]

    @Test
    void 'converts and checks each type'() {
        String g = 'v'
        [
            // config                        -> values (of the keys given) or error
            [[s: 'a'],                          [s: 'a']],
            [[s: "${g}"],                       [s: 'v']],
            [[s: 'a', l: ["${g}", 'b']],        [l: ['v', 'b']]],
            [[s: 'a', sl: 'u'],                 [sl: ['u']]],
            [[s: 'a', sl: ['u', 'w']],          [sl: ['u', 'w']]],
            [[s: 'a', n: 42],                   [n: '42']],
            [[s: 'a', b: true, i: 3],           [b: true, i: 3]],
            [[s: 'a', m: [K: "${g}"]],          [m: [K: 'v']]],
            [[s: 'a', l: null],                 [l: []]],
            [[:],                               'x: s is required (see x.txt)'],
            [[s: ''],                           'x: s is required (see x.txt)'],
            [[s: 1],                            'x: s must be a String, not an Integer'],
            [[s: 'a', l: ['a', null]],          'x: l must be a List of Strings, not a List holding null'],
            [[s: 'a', b: 'true'],               'x: b must be a Boolean, not a String'],
            [[s: 'a', i: 1.5],                  'x: i must be an Integer, not a BigDecimal'],
            [[s: 'a', m: [K: 1]],               'x: m must be a Map of String to String, not a LinkedHashMap'],
            [[s: 'a', q: 1, r: 2],              'x: unknown keys q, r; the keys are s, l, sl, n, b, i, m (see x.txt)'],
        ].each { Map config, Object expected ->
            Map result = Params.resolve('x', config, KEYS)
            if (expected instanceof String) {
                assert result.error == expected
            } else {
                assert result.error == null
                ((Map) expected).each { k, v -> assert result.values[k] == v && !(result.values[k] instanceof GString) }
            }
        }
    }

    @Test
    void 'defaults come from the declaration'() {
        assert Params.resolve('x', [s: 'a'], KEYS).values == [s: 'a', l: [], sl: null, n: null, b: false, i: null, m: [:]]
    }
}
