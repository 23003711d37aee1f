# retention
