"""Open311 GeoReport v2 both ways: the clients that may POST, requests submitted through the intake
pipeline, the public listing of requests, and the JSON and XML documents of the specification.
Nothing here knows HTTP; dashboard/open311/ serves it."""
