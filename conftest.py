# The Chinese edition (notebooks/zh/) is executed and checked by nbval like the English notebooks;
# tests/zh/ proves each Chinese code cell the English program and its numbers the English numbers.
