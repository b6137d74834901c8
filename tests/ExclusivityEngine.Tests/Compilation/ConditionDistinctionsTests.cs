using System.Linq.Expressions;
using CsCheck;
using ExclusivityEngine.Compilation;
using ExclusivityEngine.Loading;
using ExclusivityEngine.Model;
using ExclusivityEngine.Tests.Evaluation;

namespace ExclusivityEngine.Tests.Compilation;

/// <summary>
/// What the memo's class key can merge: values of a string fact found in the same literal sets, and dates between
/// the days a comparison can change. Checked on conditions parsed as a rule file writes them, and, on a rule set whose
/// conditions use every comparison the guard allows, by the memo agreeing with a per-scenario NRules session.
/// </summary>
public sealed class ConditionDistinctionsTests
{
    private static ConditionDistinctions Of(params string[] conditions) =>
        new([.. conditions.Select(when => ConditionParser.Parse(when, new ConditionLiterals(), out var problem, out _)
            ?? throw new AssertionException($"`{when}` does not parse: {problem}"))]);

    /// <summary>As <see cref="Of"/>, for the products of a class whose offeredBy is <paramref name="offeredBy"/>.</summary>
    private static ConditionDistinctions ForProductsOfferedBy(string offeredBy, params string[] conditions) =>
        new([.. conditions.Select(when => ConditionParser.Parse(when, new ConditionLiterals(), out var problem, out _)
            ?? throw new AssertionException($"`{when}` does not parse: {problem}"))],
            (operand, literal) => operand == "product.offeredBy" ? literal == offeredBy : null);

    [Test]
    public void ForAProductClass_PartsItDecides_TellNothingApart()
    {
        string[] conditions =
        [
            "product.offeredBy == \"microsoft\" and segment == \"us-national-security\"",
            "product.offeredBy != \"openai\" or cloud == \"aws\"",
            "not (product.offeredBy in (\"microsoft\", \"joint\")) and date <= \"2030-12-31\"",
            "product.offeredBy == \"microsoft\" or date > \"2032-12-31\"",
            "agiDeclared and product.interface == \"app\"",
        ];
        var openai = ForProductsOfferedBy("openai", conditions);
        var microsoft = ForProductsOfferedBy("microsoft", conditions);

        Assert.Multiple(() =>
        {
            Assert.That(openai.Reads, Does.Not.Contain("segment"), "an OpenAI product leaves the first condition false");
            Assert.That(openai.Of("cloud").Of("aws"), Is.Not.EqualTo(openai.Of("cloud").Of("azure")));
            Assert.That(openai.DateCuts, Is.EqualTo(new[] { new DateOnly(2031, 1, 1), new DateOnly(2033, 1, 1) }));
            Assert.That(openai.Reads, Does.Contain("agiDeclared").And.Contain("product"), "a part the product class does not decide is read as before");
            Assert.That(microsoft.Reads, Does.Contain("segment").And.Not.Contain("cloud").And.Not.Contain("date"));
            Assert.That(microsoft.Of("cloud").Of("aws"), Is.EqualTo(microsoft.Of("cloud").Of("azure")), "a Microsoft product makes the second condition true");
            Assert.That(microsoft.DateCuts, Is.Empty, "and the third false and the fourth true, whatever the date");
        });
    }

    [Test]
    public void Cloud_ValuesOnlyEverInTheSameLists_AreOneClass()
    {
        var clouds = Of("cloud in (\"google-cloud\", \"oracle\", \"other\")", "cloud == \"aws\"", "cloud != \"azure\"").Of("cloud");

        Assert.Multiple(() =>
        {
            Assert.That(clouds.Of("oracle"), Is.EqualTo(clouds.Of("google-cloud")).And.EqualTo(clouds.Of("other")));
            Assert.That(new[] { clouds.Of("google-cloud"), clouds.Of("aws"), clouds.Of("azure"), clouds.Of("openai") }, Is.Unique);
            Assert.That(clouds.Of("openai"), Is.EqualTo(clouds.Of("anything-else")), "values no condition names are one class");
        });
    }

    [Test]
    public void Cloud_ListsThatOverlap_SplitTheirValues()
    {
        var clouds = Of("cloud in (\"aws\", \"oracle\") or cloud in (\"oracle\", \"other\")").Of("cloud");

        Assert.That(new[] { clouds.Of("aws"), clouds.Of("oracle"), clouds.Of("other"), clouds.Of("azure") }, Is.Unique);
    }

    [Test]
    public void ProductAttributes_AreClassedEachOnItsOwn()
    {
        var distinctions = Of("product.id in (\"frontier\", \"chatgpt\") and product.interface != \"app\"", "cloud == \"frontier\"");

        Assert.Multiple(() =>
        {
            Assert.That(distinctions.Of("product.id").Of("frontier"), Is.EqualTo(distinctions.Of("product.id").Of("chatgpt")));
            Assert.That(distinctions.Of("product.id").Of("frontier"), Is.Not.EqualTo(distinctions.Of("product.id").Of("inline-x")));
            Assert.That(distinctions.Of("product.interface").Of("device"), Is.EqualTo(distinctions.Of("product.interface").Of("agent-platform")));
            Assert.That(distinctions.Of("product.interface").Of("app"), Is.Not.EqualTo(distinctions.Of("product.interface").Of("device")));
            Assert.That(distinctions.Of("cloud").Of("frontier"), Is.Not.EqualTo(distinctions.Of("cloud").Of("aws")), "a literal counts only for the fact it is compared with");
            Assert.That(distinctions.Of("product.origin").Of("joint"), Is.EqualTo(distinctions.Of("product.origin").Of("first-party")), "an attribute no condition reads is one class");
        });
    }

    [TestCase("date <= \"2032-12-31\"", "2033-01-01")]
    [TestCase("date > \"2032-12-31\"", "2033-01-01")]
    [TestCase("date < \"2032-12-31\"", "2032-12-31")]
    [TestCase("date >= \"2032-12-31\"", "2032-12-31")]
    [TestCase("date == \"2032-12-31\"", "2032-12-31 2033-01-01")]
    [TestCase("date != \"2032-12-31\"", "2032-12-31 2033-01-01")]
    [TestCase("date == \"2032-12-31\" or date == \"2026-02-27\"", "2026-02-27 2026-02-28 2032-12-31 2033-01-01")]
    [TestCase("date <= \"2030-12-31\" or date > \"2030-12-31\"", "2031-01-01")]
    [TestCase("date <= \"9999-12-31\"", "")]
    [TestCase("date >= \"0001-01-01\"", "0001-01-01")]
    public void Date_IsCutWhereTheComparisonCanChange(string when, string cuts)
    {
        var expected = cuts.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(DateOnly.Parse);

        Assert.That(Of(when).DateCuts, Is.EqualTo(expected));
    }

    /// <summary>The cuts are exact: on each side of every cut, a day and its neighbour give the condition the same value.</summary>
    [TestCase("date <= \"2032-12-31\"")]
    [TestCase("date > \"2026-02-27\" and date < \"2026-04-27\"")]
    [TestCase("date == \"2026-02-27\" or date >= \"2030-01-01\"")]
    [TestCase("(date == \"2026-02-27\" or date == \"2026-03-01\") and not (date != \"2026-03-01\")")]
    public void Date_BetweenCuts_TheConditionDoesNotChange(string when)
    {
        var body = ConditionParser.Parse(when, new ConditionLiterals(), out _, out _)!;
        var date = ConditionParser.Parameters.Single(p => p.Name == Facts.Date);
        var condition = Expression.Lambda<Func<DateOnly, bool>>(
            Expression.Invoke(Expression.Lambda(body, ConditionParser.Parameters), [.. ConditionParser.Parameters.Select(p => p == date ? (Expression)date : Expression.Default(p.Type))]),
            date).Compile();
        var cuts = Of(when).DateCuts!.Select(d => d.DayNumber).ToHashSet();
        var first = new DateOnly(2025, 1, 1);

        for (var day = first; day < new DateOnly(2031, 12, 31); day = day.AddDays(1))
        {
            var next = day.AddDays(1);
            if (!cuts.Contains(next.DayNumber))
            {
                Assert.That(condition(next), Is.EqualTo(condition(day)), $"{when}: {day} and {next} differ, with no cut between them");
            }
        }
    }

    [Test]
    public void ReadOtherwiseThanAgainstLiterals_EveryValueIsItsOwnClassAndEveryDateLiteralACut()
    {
        // The guard lets no such tree through; the memo stays right if it ever does.
        var cloud = ConditionParser.Parameters.Single(p => p.Name == Facts.Cloud);
        var segment = ConditionParser.Parameters.Single(p => p.Name == Facts.Segment);
        var date = ConditionParser.Parameters.Single(p => p.Name == Facts.Date);
        var distinctions = new ConditionDistinctions([
            Expression.Equal(cloud, segment),
            Expression.GreaterThan(date, date),
            Expression.Equal(date, date),
        ]);

        Assert.Multiple(() =>
        {
            Assert.That(distinctions.Of("cloud").Opaque, Is.True);
            Assert.That(distinctions.Of("cloud").Of("oracle"), Is.Not.EqualTo(distinctions.Of("cloud").Of("other")));
            var oracle = distinctions.Of("cloud").Of("oracle");
            Assert.That(distinctions.Of("cloud").Of("oracle"), Is.EqualTo(oracle), "a value keeps its class");
            Assert.That(distinctions.Of("segment").Opaque, Is.True);
            Assert.That(distinctions.DateCuts, Is.Null);
        });
    }

    /// <summary>
    /// The memo agrees with a per-scenario NRules session on a rule set whose conditions use lists that overlap, dates
    /// compared every way, a literal on the left, and product ids in a list: classes merged wrongly would show here.
    /// </summary>
    [Test]
    public void Evaluate_RuleSetOfEveryComparison_MemoAndSessionWriteTheSameJson()
    {
        using var rules = new RuleSetCopy();
        rules.Replace("clauses/aws-openai-2025-11.json", "\"when\": \"cloud == \\\"aws\\\"\"",
            "\"when\": \"cloud in (\\\"aws\\\", \\\"oracle\\\") and date >= \\\"2026-01-10\\\"\"");
        rules.Replace("clauses/msft-openai-2025-10.json", "\"when\": \"product.offeredBy == \\\"microsoft\\\" and date <= \\\"2032-12-31\\\"\"",
            "\"when\": \"product.offeredBy == \\\"microsoft\\\" and (date < \\\"2027-06-01\\\" or date == \\\"2029-02-28\\\" or \\\"2031-03-03\\\" > date)\"");
        rules.Replace("clauses/msft-openai-2026-04.json", "\"when\": \"product.offeredBy == \\\"openai\\\" and date <= \\\"2030-12-31\\\"\"",
            "\"when\": \"product.id in (\\\"frontier\\\", \\\"chatgpt\\\", \\\"inline-x\\\") and (date == \\\"2026-05-05\\\" or date == \\\"2026-05-07\\\") or product.interface in (\\\"app\\\", \\\"device\\\") and segment != \\\"us-national-security\\\"\"");
        rules.Replace("clauses/aws-openai-2026-02.json", "\"when\": \"product.id == \\\"stateful-runtime\\\" and cloud != \\\"aws\\\"\"",
            "\"when\": \"product.id in (\\\"stateful-runtime\\\", \\\"inline-x\\\") and cloud != \\\"aws\\\" and cloud != \\\"openai\\\"\"");
        MemoAgreesWithSessions(Engine.Load(RuleFiles.FromDirectory(rules.Directory)));
    }

    /// <summary>
    /// The memo agrees with a per-scenario NRules session on a rule set whose conditions mix product attributes with
    /// other facts under <c>or</c>, <c>not</c> and <c>in</c>: a part wrongly taken as decided by the product class would
    /// leave a fact out of its key, and show here.
    /// </summary>
    [Test]
    public void Evaluate_RuleSetWhereTheProductDecidesParts_MemoAndSessionWriteTheSameJson()
    {
        using var rules = new RuleSetCopy();
        rules.Replace("clauses/aws-openai-2025-11.json", "\"when\": \"cloud == \\\"aws\\\"\"",
            "\"when\": \"not (product.offeredBy == \\\"microsoft\\\") or cloud == \\\"oracle\\\"\"");
        rules.Replace("clauses/msft-openai-2025-10.json", "\"when\": \"product.offeredBy == \\\"microsoft\\\" and date <= \\\"2032-12-31\\\"\"",
            "\"when\": \"product.interface != \\\"app\\\" and (segment == \\\"general\\\" or product.id == \\\"frontier\\\") or date < \\\"2027-06-01\\\"\"");
        rules.Replace("clauses/msft-openai-2026-04.json", "\"when\": \"product.offeredBy == \\\"openai\\\" and date <= \\\"2030-12-31\\\"\"",
            "\"when\": \"product.origin in (\\\"joint\\\", \\\"first-party\\\") and cloud != \\\"azure\\\" or not (product.id in (\\\"chatgpt\\\", \\\"inline-x\\\")) and agiDeclared\"");
        MemoAgreesWithSessions(Engine.Load(RuleFiles.FromDirectory(rules.Directory)));
    }

    /// <summary>Generated scenarios answered alike, as JSON, by the memo and by a per-scenario NRules session.</summary>
    private static void MemoAgreesWithSessions(Engine engine) =>
        MemoAgreementTests.Scenarios(engine).Sample(json =>
        {
            var scenario = MemoAgreementTests.Resolve(json, engine);
            var fast = MemoAgreementTests.Json(engine.Evaluate(scenario), engine);
            var reference = MemoAgreementTests.Json(engine.EvaluateInSession(scenario), engine);
            if (fast != reference)
            {
                throw new AssertionException($"the paths disagree{MemoAgreementTests.Difference(fast, reference)}");
            }
        }, iter: 3000, print: json => json);
}
