package io.whalekeeper.lint

import org.codehaus.groovy.ast.expr.ArgumentListExpression
import org.codehaus.groovy.ast.expr.BinaryExpression
import org.codehaus.groovy.ast.expr.Expression
import org.codehaus.groovy.ast.expr.GStringExpression
import org.codehaus.groovy.ast.expr.MapExpression
import org.codehaus.groovy.ast.expr.MethodCallExpression
import org.codehaus.groovy.ast.expr.TupleExpression
import org.codenarc.rule.AbstractAstVisitor
import org.codenarc.rule.AbstractAstVisitorRule

/**
 * Fails on a script built from values and handed to `sh`: a GString (`sh "… ${x}"`, `sh(script: "…")`) or a
 * concatenation (`sh('… ' + x)`). Values go through withEnv to a constant single-quoted script instead.
 */
class GStringInShRule extends AbstractAstVisitorRule {
    String name = 'GStringInSh'
    int priority = 1
    Class astVisitorClass = GStringInShVisitor
}

/** Finds the `sh` calls whose script is a GString or a concatenation. */
class GStringInShVisitor extends AbstractAstVisitor {

    @Override
    void visitMethodCallExpression(MethodCallExpression call) {
        if (call.methodAsString == 'sh' && scriptArguments(call.arguments).any { built(it) }) {
            addViolation(call, 'a script built from values is passed to sh: pass the values with withEnv to a ' +
                'constant single-quoted script')
        }
        super.visitMethodCallExpression(call)
    }

    private static List<Expression> scriptArguments(Expression arguments) {
        List<Expression> result = []
        List<Expression> items = arguments instanceof TupleExpression ? ((TupleExpression) arguments).expressions : [arguments]
        items.each { Expression item ->
            if (item instanceof MapExpression) {
                ((MapExpression) item).mapEntryExpressions.findAll { it.keyExpression.text == 'script' }
                    .each { result << it.valueExpression }
            } else if (!(arguments instanceof ArgumentListExpression) || item == items[0]) {
                result << item
            }
        }
        return result
    }

    private static boolean built(Expression expression) {
        return expression instanceof GStringExpression ||
            (expression instanceof BinaryExpression && ((BinaryExpression) expression).operation.text == '+')
    }
}
