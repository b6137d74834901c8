namespace ExclusivityEngine.Compilation;

/// <summary>The product as a condition sees it: <c>product.id</c>, <c>product.interface</c>, <c>product.origin</c>, <c>product.offeredBy</c>.</summary>
public sealed class ProductFacts(string id, string @interface, string origin, string offeredBy)
{
    /// <summary>The product id (clauses that name a product compare with it).</summary>
    public string Id { get; } = id;

    /// <summary>The product's interface.</summary>
    public string Interface { get; } = @interface;

    /// <summary>The product's origin.</summary>
    public string Origin { get; } = origin;

    /// <summary>Who offers the product.</summary>
    public string OfferedBy { get; } = offeredBy;
}

/// <summary>A compiled clause condition: the scenario's facts in, whether the clause applies out.</summary>
internal delegate bool ClauseCondition(
    ProductFacts product,
    string cloud,
    DateOnly date,
    string segment,
    bool agiDeclared,
    bool agiVerified,
    bool? microsoftDeclined,
    bool? shippedOnAzureFirst,
    bool? meetsOpenWeightCriteria,
    bool? statelessCallsOnAzure);
