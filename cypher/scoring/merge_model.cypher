// Record a trained model (its version is its id)
MERGE (m:Model {id: $version})
SET m += $properties
