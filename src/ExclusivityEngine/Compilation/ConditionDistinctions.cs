using System.Collections.Concurrent;
using System.Linq.Expressions;
using ExclusivityEngine.Model;

namespace ExclusivityEngine.Compilation;

/// <summary>
/// What a rule set's conditions can tell apart, read from their checked trees (<see cref="ConditionGuard"/>). A string
/// fact (the cloud, the segment, a product attribute) is only ever compared for equality with literals (<c>==</c>,
/// <c>!=</c>, <c>in</c>), so two values found in exactly the same literal sets make every condition come out alike:
/// clouds met only together in one <c>in</c> list are one class, and so are all the values no condition names. The
/// date is compared with literals, and each comparison can change its value at one day (two for <c>==</c> and
/// <c>in</c>): <c>date &lt;= D</c> only from D to the day after. The memo (<see cref="Evaluation.ClassTable"/>) keys its
/// classes by these, so that a batch needs one NRules session per class the conditions can tell apart, not one per
/// combination of values written.
/// </summary>
internal sealed class ConditionDistinctions
{
    private readonly Dictionary<string, Operand> _operands = new(StringComparer.Ordinal);
    private readonly SortedSet<DateOnly> _dateCuts = [];
    private readonly HashSet<string> _reads = new(StringComparer.Ordinal);
    private readonly Func<string, string, bool?>? _productEquals;
    private bool _dateOpaque;

    /// <param name="conditions">Every clause's checked condition.</param>
    /// <param name="productEquals">
    /// For the products of one class: whether a product attribute (<c>product.offeredBy</c>) equals a literal, null when
    /// that is not the same for all of them (or the operand is not a product attribute). Parts of a condition that the
    /// product decides are then left out: <c>product.offeredBy == "microsoft" and segment == "x"</c> tells no segment
    /// apart for an OpenAI product, and a Microsoft product's scenarios need not be told apart by segment at all.
    /// </param>
    public ConditionDistinctions(IEnumerable<Expression> conditions, Func<string, string, bool?>? productEquals = null)
    {
        _productEquals = productEquals;
        foreach (var condition in conditions)
        {
            Walk(condition);
        }
        foreach (var operand in _operands.Values)
        {
            operand.Number();
        }
    }

    /// <summary>
    /// Sorted days at which some condition's value can change; null when the date is read otherwise than against
    /// literals (never, with the guard as it is), and every date literal must then be taken as a cut, with the day after.
    /// </summary>
    public DateOnly[]? DateCuts => _dateOpaque ? null : [.. _dateCuts];

    /// <summary>The names of the facts (as conditions write them) read where a condition's value can still change.</summary>
    public IReadOnlySet<string> Reads => _reads;

    /// <summary>
    /// The classes of a string fact's values (<c>cloud</c>, <c>segment</c>) or of a product attribute's
    /// (<c>product.interface</c>), by the operand's name as a condition writes it.
    /// </summary>
    public ValueClasses Of(string operand) => _operands.TryGetValue(operand, out var found) ? found.Classes : ValueClasses.Single;

    private Operand OperandNamed(string name) =>
        _operands.TryGetValue(name, out var found) ? found : _operands[name] = new Operand();

    private void Walk(Expression node)
    {
        if (_productEquals is not null && Decided(node) is not null)
        {
            return; // the same for every product of the class, whatever else the scenario holds
        }
        switch (node)
        {
            case BinaryExpression { NodeType: ExpressionType.AndAlso or ExpressionType.OrElse } b:
                Walk(b.Left);
                Walk(b.Right);
                return;
            case UnaryExpression { NodeType: ExpressionType.Not } u:
                Walk(u.Operand);
                return;
        }
        new ReadFacts(_reads).Visit(node);
        switch (node)
        {
            case BinaryExpression b when Comparison(b):
                return;
            case MethodCallExpression call when In(call):
                return;
            default:
                // A boolean fact read bare, a constant; anything else that reads a string or a date makes it opaque.
                new OpaqueReads(this).Visit(node);
                return;
        }
    }

    /// <summary>The value of a part of a condition for every product of the class, or null when it is not decided so.</summary>
    private bool? Decided(Expression node) => node switch
    {
        BinaryExpression { NodeType: ExpressionType.AndAlso } b => (Decided(b.Left), Decided(b.Right)) switch
        {
            (false, _) or (_, false) => false,
            (true, true) => true,
            _ => null,
        },
        BinaryExpression { NodeType: ExpressionType.OrElse } b => (Decided(b.Left), Decided(b.Right)) switch
        {
            (true, _) or (_, true) => true,
            (false, false) => false,
            _ => null,
        },
        UnaryExpression { NodeType: ExpressionType.Not } u => !Decided(u.Operand),
        ConstantExpression { Value: bool value } => value,
        BinaryExpression { NodeType: ExpressionType.Equal or ExpressionType.NotEqual } b => DecidedComparison(b),
        MethodCallExpression call => DecidedIn(call),
        _ => null,
    };

    /// <summary><c>product.attribute == "literal"</c> (or <c>!=</c>) as the class's products all make it, or null.</summary>
    private bool? DecidedComparison(BinaryExpression node)
    {
        var (operand, literal) = ConditionGuard.FactName(node.Left) is not null ? (node.Left, node.Right) : (node.Right, node.Left);
        if (ConditionGuard.FactName(operand) is not { } name || ConditionGuard.Unlifted(operand).Type != typeof(string)
            || ConditionGuard.Unlifted(literal) is not ConstantExpression { Value: string text })
        {
            return null;
        }
        var equal = _productEquals!(name, text);
        return node.NodeType == ExpressionType.Equal ? equal : !equal;
    }

    /// <summary><c>product.attribute in ("a", "b")</c> as the class's products all make it, or null.</summary>
    private bool? DecidedIn(MethodCallExpression node)
    {
        if (Listed(node) is not ({ } name, var values) || node.Arguments[1].Type != typeof(string))
        {
            return null;
        }
        var undecided = false;
        foreach (var literal in values.OfType<string>())
        {
            switch (_productEquals!(name, literal))
            {
                case true:
                    return true;
                case null:
                    undecided = true;
                    break;
            }
        }
        return undecided ? null : false;
    }

    private bool Comparison(BinaryExpression node)
    {
        var (operand, literal, comparison) = ConditionGuard.FactName(node.Left) is not null
            ? (node.Left, node.Right, node.NodeType)
            : (node.Right, node.Left, Flipped(node.NodeType));
        if (ConditionGuard.FactName(operand) is not { } name || ConditionGuard.Unlifted(literal) is not ConstantExpression constant)
        {
            return false;
        }
        switch (ConditionGuard.Unlifted(operand).Type, constant.Value, comparison)
        {
            case (var type, null, _) when type == typeof(DateOnly):
                return true; // a date is never null: the comparison never changes
            case (var type, DateOnly day, _) when type == typeof(DateOnly):
                CutAt(day, comparison);
                return true;
            case (var type, string text, ExpressionType.Equal or ExpressionType.NotEqual) when type == typeof(string):
                OperandNamed(name).Sets.Add([text]);
                return true;
            case (var type, _, _) when type == typeof(string) || type == typeof(DateOnly):
                return false;
            default:
                return true; // a true/false or true/false/unknown fact: keyed by its own values
        }
    }

    /// <summary><c>fact in (a, b)</c>, written <c>new [] {a, b}.Contains(fact)</c>.</summary>
    private bool In(MethodCallExpression node)
    {
        if (Listed(node) is not ({ } name, var values))
        {
            return false;
        }
        if (node.Arguments[1].Type == typeof(DateOnly))
        {
            foreach (var day in values.OfType<DateOnly>())
            {
                CutAt(day, ExpressionType.Equal);
            }
            return true;
        }
        if (node.Arguments[1].Type != typeof(string))
        {
            return false;
        }
        OperandNamed(name).Sets.Add([.. values.OfType<string>()]);
        return true;
    }

    /// <summary>
    /// <c>fact in (a, b)</c>, written <c>new [] {a, b}.Contains(fact)</c>, with string or date literals: the fact's name
    /// and the literals; (null, empty) for anything else.
    /// </summary>
    private static (string? Name, List<object> Values) Listed(MethodCallExpression node) =>
        node.Method.DeclaringType == typeof(Enumerable) && node.Method.Name == nameof(Enumerable.Contains) && node.Arguments.Count == 2
        && node.Arguments[0] is NewArrayExpression list && ConditionGuard.FactName(node.Arguments[1]) is { } name
        && list.Expressions.All(e => e is ConstantExpression { Value: string or DateOnly })
            ? (name, [.. list.Expressions.Select(e => ((ConstantExpression)e).Value!)])
            : (null, []);

    /// <summary>Where <c>date op day</c> can change its value: from the day before a cut to the cut.</summary>
    private void CutAt(DateOnly day, ExpressionType comparison)
    {
        var next = day < DateOnly.MaxValue ? day.AddDays(1) : (DateOnly?)null;
        switch (comparison)
        {
            case ExpressionType.LessThan or ExpressionType.GreaterThanOrEqual:
                _dateCuts.Add(day);
                break;
            case ExpressionType.LessThanOrEqual or ExpressionType.GreaterThan:
                if (next is { } after)
                {
                    _dateCuts.Add(after);
                }
                break;
            default:
                _dateCuts.Add(day);
                if (next is { } dayAfter)
                {
                    _dateCuts.Add(dayAfter);
                }
                break;
        }
    }

    private static ExpressionType Flipped(ExpressionType comparison) => comparison switch
    {
        ExpressionType.LessThan => ExpressionType.GreaterThan,
        ExpressionType.LessThanOrEqual => ExpressionType.GreaterThanOrEqual,
        ExpressionType.GreaterThan => ExpressionType.LessThan,
        ExpressionType.GreaterThanOrEqual => ExpressionType.LessThanOrEqual,
        _ => comparison,
    };

    /// <summary>Collects the names of the facts a part of a condition reads.</summary>
    private sealed class ReadFacts(HashSet<string> names) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node)
        {
            names.Add(node.Name!);
            return node;
        }
    }

    /// <summary>Marks every string or date a subtree reads as opaque: each of its values is then a class of its own.</summary>
    private sealed class OpaqueReads(ConditionDistinctions owner) : ExpressionVisitor
    {
        protected override Expression VisitMember(MemberExpression node)
        {
            if (ConditionGuard.FactName(node) is { } name)
            {
                owner.OperandNamed(name).Opaque = true;
                return node;
            }
            return base.VisitMember(node);
        }

        protected override Expression VisitParameter(ParameterExpression node)
        {
            if (!ConditionParser.FactOf.TryGetValue(node, out var fact))
            {
                return node;
            }
            if (fact.Kind == FactKind.Product)
            {
                foreach (var attribute in fact.Attributes)
                {
                    owner.OperandNamed($"{fact.ConditionName}.{attribute}").Opaque = true;
                }
            }
            else if (fact.Kind == FactKind.Date)
            {
                owner._dateOpaque = true;
            }
            else if (fact.ConditionType == typeof(string))
            {
                owner.OperandNamed(fact.ConditionName).Opaque = true;
            }
            return node;
        }
    }

    private sealed class Operand
    {
        public List<string[]> Sets { get; } = [];

        public bool Opaque { get; set; }

        public ValueClasses Classes { get; private set; } = ValueClasses.Single;

        /// <summary>Numbers the literals by the sets they are in: the same sets, the same class; 0 is in none.</summary>
        public void Number()
        {
            if (Opaque)
            {
                Classes = ValueClasses.EachOwn();
                return;
            }
            var bySets = new Dictionary<string, int>(StringComparer.Ordinal);
            var literals = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var literal in Sets.SelectMany(s => s).Distinct(StringComparer.Ordinal))
            {
                var signature = string.Join(",", Enumerable.Range(0, Sets.Count).Where(i => Sets[i].Contains(literal, StringComparer.Ordinal)));
                if (!bySets.TryGetValue(signature, out var number))
                {
                    bySets[signature] = number = bySets.Count + 1;
                }
                literals[literal] = number;
            }
            Classes = new ValueClasses(literals);
        }
    }
}

/// <summary>
/// The classes of one operand's values: a value no condition names is class 0; a named one is numbered by the literal
/// sets it is in. When the operand is read otherwise than against literals, every value is a class of its own.
/// </summary>
internal sealed class ValueClasses
{
    private readonly Dictionary<string, int>? _literals;
    private readonly ConcurrentDictionary<string, int>? _each;
    private readonly Func<string, int>? _newNumber;
    private int _lastNumber;

    internal ValueClasses(Dictionary<string, int> literals) => _literals = literals;

    private ValueClasses(ConcurrentDictionary<string, int> each)
    {
        _each = each;
        _newNumber = _ => Interlocked.Increment(ref _lastNumber);
    }

    /// <summary>An operand no condition reads: one class.</summary>
    public static ValueClasses Single { get; } = new(new Dictionary<string, int>());

    /// <summary>An operand read otherwise than against literals: every value a class of its own, numbered as met.</summary>
    public static ValueClasses EachOwn() => new(new ConcurrentDictionary<string, int>(StringComparer.Ordinal));

    /// <summary>Whether every value is a class of its own.</summary>
    public bool Opaque => _each is not null;

    /// <summary>The values some condition names, with their classes (empty when <see cref="Opaque"/>).</summary>
    public IReadOnlyDictionary<string, int> Named => _literals ?? [];

    /// <summary>The class of <paramref name="value"/>.</summary>
    public int Of(string value) =>
        _each is { } each ? each.GetOrAdd(value, _newNumber!)
        : _literals!.TryGetValue(value, out var number) ? number : 0;
}
