// The engine's namespaces and the test support every test of the engine reads.
global using Hft.Core.Book;
global using Hft.Core.Events;
global using Hft.Core.Matching;
global using Hft.Core.Orders;
global using Hft.Core.Tests.Support;
